/*
 * The release version of vpdnd and vpdnctl (--version).  debian/changelog
 * carries the same number; tests/pkg/t-deb.sh checks that the two agree.
 */
#ifndef VPDN_CORE_VERSION_H
#define VPDN_CORE_VERSION_H

#define VPDN_VERSION "0.1.0"

#endif
