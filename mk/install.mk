# make install [PREFIX=/usr/local] [DESTDIR=DIR]: the release variant of
# vpdnd and vpdnctl, the man pages, the systemd unit and the examples.
# INSTALL_O is where the release variant is built (build/release).

PREFIX     ?= /usr/local
SBINDIR    ?= $(PREFIX)/sbin
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/vpdn
UNITDIR    ?= $(PREFIX)/lib/systemd/system
INSTALL_O  ?= build/release
INSTALL    ?= install

EXAMPLES   := $(filter-out examples/ipsec,$(wildcard examples/*))
IPSEC_EXAMPLES := $(wildcard examples/ipsec/*)

.PHONY: install uninstall
install:
	@$(CALLER_FLAGS) $(MAKE) --no-print-directory VARIANT=release O=$(INSTALL_O) \
	    $(INSTALL_O)/vpdnd $(INSTALL_O)/vpdnctl
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DOCDIR)/examples/ipsec
	$(INSTALL) -m 0755 $(INSTALL_O)/vpdnd $(DESTDIR)$(SBINDIR)/vpdnd
	$(INSTALL) -m 0755 $(INSTALL_O)/vpdnctl $(DESTDIR)$(BINDIR)/vpdnctl
	$(INSTALL) -m 0644 man/vpdn.conf.5 $(DESTDIR)$(MANDIR)/man5/vpdn.conf.5
	$(INSTALL) -m 0644 man/vpdnd.8 man/vpdnctl.8 $(DESTDIR)$(MANDIR)/man8/
	sed 's|/usr/local/sbin/|$(SBINDIR)/|g' contrib/vpdnd.service \
	    >$(DESTDIR)$(UNITDIR)/vpdnd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/vpdnd.service
	$(INSTALL) -m 0644 $(EXAMPLES) $(DESTDIR)$(DOCDIR)/examples/
	$(INSTALL) -m 0644 $(IPSEC_EXAMPLES) $(DESTDIR)$(DOCDIR)/examples/ipsec/

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/vpdnd $(DESTDIR)$(BINDIR)/vpdnctl \
	    $(DESTDIR)$(MANDIR)/man5/vpdn.conf.5 \
	    $(DESTDIR)$(MANDIR)/man8/vpdnd.8 $(DESTDIR)$(MANDIR)/man8/vpdnctl.8 \
	    $(DESTDIR)$(UNITDIR)/vpdnd.service
	rm -rf $(DESTDIR)$(DOCDIR)
