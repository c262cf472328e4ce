# Builds the C library with cargo and installs it, with its headers and a pkg-config
# file, under a prefix:
#
#   make                                   # cargo rustc --release --lib, as cdylib and staticlib
#   make install PREFIX=/usr/local         # copies the built files; builds nothing
#   make uninstall PREFIX=/usr/local
#
# Variables: PREFIX (default /usr/local), LIBDIR, INCLUDEDIR, PKGCONFIGDIR, DESTDIR
# for staged installs, PROFILE (release or debug, default release), TARGET_DIR (cargo's
# target folder, default $CARGO_TARGET_DIR or target), CARGO.
#
# `make install` does not build, so that it can run as another user (root) on a tree
# built by `make`. The shared library is installed as libsectigo_revoke.so.VERSION with
# the links libsectigo_revoke.so.0 (its soname) and libsectigo_revoke.so. Linux only.

CARGO ?= cargo
PROFILE ?= release
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

# The shared library's soname is libsectigo_revoke.so.$(SONAME_MAJOR). Raise it when an
# exported function changes its signature or a result code changes its meaning.
SONAME_MAJOR := 0
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
BUILD_DIR := $(TARGET_DIR)/$(PROFILE)

ifeq ($(PROFILE),debug)
CARGO_PROFILE := dev
else
CARGO_PROFILE := $(PROFILE)
endif

.PHONY: all build install uninstall

all: build

build:
	$(CARGO) rustc --locked --lib --profile $(CARGO_PROFILE) --crate-type cdylib --crate-type staticlib \
		-- -C link-arg=-Wl,-soname,libsectigo_revoke.so.$(SONAME_MAJOR)

install:
	@test -f $(BUILD_DIR)/libsectigo_revoke.so -a -f $(BUILD_DIR)/libsectigo_revoke.a || \
		{ echo "no library in $(BUILD_DIR); run make (or make PROFILE=$(PROFILE)) first" >&2; exit 1; }
	install -d $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PKGCONFIGDIR)
	install -m 644 include/sectigo_revoke.h bindings/cpp/sectigo_revoke.hpp $(DESTDIR)$(INCLUDEDIR)/
	install -m 755 $(BUILD_DIR)/libsectigo_revoke.so $(DESTDIR)$(LIBDIR)/libsectigo_revoke.so.$(VERSION)
	ln -sf libsectigo_revoke.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libsectigo_revoke.so.$(SONAME_MAJOR)
	ln -sf libsectigo_revoke.so.$(SONAME_MAJOR) $(DESTDIR)$(LIBDIR)/libsectigo_revoke.so
	install -m 644 $(BUILD_DIR)/libsectigo_revoke.a $(DESTDIR)$(LIBDIR)/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		-e 's|@VERSION@|$(VERSION)|' sectigo_revoke.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/sectigo_revoke.pc

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/sectigo_revoke.h $(DESTDIR)$(INCLUDEDIR)/sectigo_revoke.hpp
	rm -f $(DESTDIR)$(LIBDIR)/libsectigo_revoke.so $(DESTDIR)$(LIBDIR)/libsectigo_revoke.so.$(SONAME_MAJOR)
	rm -f $(DESTDIR)$(LIBDIR)/libsectigo_revoke.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libsectigo_revoke.a
	rm -f $(DESTDIR)$(PKGCONFIGDIR)/sectigo_revoke.pc
