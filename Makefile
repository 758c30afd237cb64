# user.cgi: build, test, install.  GNU make.
#
#   make            build cgi-bin/user.cgi and bin/userctl
#   make run        install missing packages (as root), build, serve on 127.0.0.1:8000
#   make test       the whole suite (bats through prove)
#   make test-asan  the suite against an ASan/UBSan build
#   make bench      benchmarks (ratios against a reference measured in the same run)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
CGIDIR		?= $(PREFIX)/lib/cgi-bin
MANDIR		?= $(PREFIX)/share/man
LOCALSTATEDIR	?= /var
STORE_DEFAULT	?= $(LOCALSTATEDIR)/lib/user.cgi/users

CC		?= cc
PKG_CONFIG	?= pkg-config
PKGS		 = json-c libxcrypt libidn2
CFLAGS		?= -O2 -g

WARN_CFLAGS	 = -Wall -Wextra -Wformat=2 -Wconversion -Wshadow \
		   -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
		   -Wcast-qual -Wvla -Wundef -Wnull-dereference -Wimplicit-fallthrough
HARDEN_CFLAGS	 = -fstack-protector-strong -fstack-clash-protection \
		   -fcf-protection -fPIE -D_FORTIFY_SOURCE=2
HARDEN_LDFLAGS	 = -pie -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack
ifneq ($(WERROR),)
WARN_CFLAGS	+= -Werror
endif
ifneq ($(CI),)
WARN_CFLAGS	+= -Werror
endif

# BUILD names the object folder, so a sanitizer build can sit beside the
# normal one; OUT is where its programs go.
BUILD		?= build
OUT		?= .
SAN_CFLAGS	?=

PKG_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS	:= $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
ALL_CPPFLAGS	 = -D_GNU_SOURCE -DUSER_STORE_DEFAULT='"$(STORE_DEFAULT)"' -Isrc $(CPPFLAGS)
ALL_CFLAGS	 = -std=c11 $(WARN_CFLAGS) $(HARDEN_CFLAGS) $(PKG_CFLAGS) $(SAN_CFLAGS) $(CFLAGS)
ALL_LDFLAGS	 = $(HARDEN_LDFLAGS) $(SAN_CFLAGS) $(LDFLAGS)
ALL_LIBS	 = $(PKG_LIBS) -lunistring $(LIBS)

PROG_SRCS	 = src/main.c src/userctl.c
LIB_SRCS	 = $(filter-out $(PROG_SRCS),$(wildcard src/*.c))
LIB_OBJS	 = $(LIB_SRCS:src/%.c=$(BUILD)/%.o)
# An archive, so each program links only the modules it calls.
LIB		 = $(BUILD)/libusercgi.a
UNIT_SRCS	 = $(wildcard tests/unit/*.c)
UNIT_PROGS	 = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/unit/%)

CGI		 = $(OUT)/cgi-bin/user.cgi
USERCTL		 = $(OUT)/bin/userctl

.PHONY: all deps test-deps run test test-asan bench install uninstall clean

all: $(CGI) $(USERCTL) $(UNIT_PROGS)

$(BUILD)/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -c -o $@ $<

$(LIB): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJS)

$(BUILD)/unit/%: tests/unit/%.c $(LIB) | $(BUILD)
	@mkdir -p $(BUILD)/unit
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(ALL_LIBS)

$(CGI): $(BUILD)/main.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LIBS)

$(USERCTL): $(BUILD)/userctl.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(ALL_LIBS)

$(BUILD):
	@mkdir -p $@

-include $(wildcard $(BUILD)/*.d)

# Debian packages: what building needs, and what the suite needs on top.
BUILD_DEBS	 = gcc make pkg-config libjson-c-dev libcrypt-dev libidn2-dev \
		   libunistring-dev python3
TEST_DEBS	 = bats bats-support bats-assert perl curl man-db gdb apache2 lighttpd \
		   nginx fcgiwrap
deps:
	@sh tests/tools/install-debs $(BUILD_DEBS)

test-deps:
	@sh tests/tools/install-debs $(BUILD_DEBS) $(TEST_DEBS)

# A fresh local store each time, in run/ (outside any web root).
run: deps
	@$(MAKE) --no-print-directory all
	@rm -f run/users run/users.lock run/users.idx run/users.htpasswd
	@python3 tests/tools/serve.py --port 8000 --store run/users

# The suite.  USER_CGI/USERCTL/UNIT_DIR say which build it runs against.
TESTS		?= tests/*.bats
test: test-deps
	@$(MAKE) --no-print-directory all
	USER_CGI=$(abspath $(CGI)) USERCTL=$(abspath $(USERCTL)) UNIT_DIR=$(abspath $(BUILD)/unit) \
	    prove --exec 'bats --tap' $(PROVE_FLAGS) $(TESTS)

test-asan: test-deps
	$(MAKE) BUILD=build-asan OUT=build-asan \
	    SAN_CFLAGS='-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer' \
	    CFLAGS='-O1 -g' all
	USER_CGI=$(abspath build-asan/cgi-bin/user.cgi) USERCTL=$(abspath build-asan/bin/userctl) \
	    UNIT_DIR=$(abspath build-asan/unit) ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    prove --exec 'bats --tap' $(PROVE_FLAGS) $(TESTS)

bench: all
	@sh tests/bench/run

install: all
	install -d $(DESTDIR)$(CGIDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(CGI) $(DESTDIR)$(CGIDIR)/user.cgi
	install -m 0755 $(USERCTL) $(DESTDIR)$(BINDIR)/userctl
	install -m 0644 doc/user.cgi.8 $(DESTDIR)$(MANDIR)/man8/user.cgi.8
	install -m 0644 doc/userctl.1 $(DESTDIR)$(MANDIR)/man1/userctl.1

uninstall:
	rm -f $(DESTDIR)$(CGIDIR)/user.cgi $(DESTDIR)$(BINDIR)/userctl \
	    $(DESTDIR)$(MANDIR)/man8/user.cgi.8 $(DESTDIR)$(MANDIR)/man1/userctl.1

clean:
	rm -rf build build-asan cgi-bin/user.cgi bin/userctl run
