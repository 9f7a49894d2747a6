# make deb: the Debian package (debian/) of the working tree, built by
# dpkg-buildpackage in a copy under DEB_O and checked by lintian
# (scripts/build-deb.sh).  deb-test installs it on this machine, checks it
# and purges it again (tests/pkg/t-deb.sh, root).

DEB_O ?= build/deb

.PHONY: deb deb-test
deb:
	@scripts/build-deb.sh $(DEB_O) 2

deb-test:
	@tests/pkg/t-deb.sh $(DEB_O)
