/* SPDX-License-Identifier: GPL-2.0 */
/*
 * acsi-nl.h - what acsi-stress.c and acsi-soak.c (the guest-side clients
 * of the KUnit VM) share: the check line, raw generic netlink dumps read
 * one datagram at a time (libnl's loop would read a dump to its end), and
 * sysfs writes to a device by its packed address.
 */
#ifndef ACSI_NL_H
#define ACSI_NL_H

#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/acs_inspect.h>
#include <linux/acs_inspect_addr.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Walking attributes: <linux/netlink.h> has no NLA_OK/NLA_NEXT. */
#define NLA_OK(a, rem) ((rem) >= (int)sizeof(struct nlattr) && \
			(a)->nla_len >= sizeof(struct nlattr) && \
			(a)->nla_len <= (rem))
#define NLA_NEXT(a, rem) ((rem) -= NLA_ALIGN((a)->nla_len), \
			  (struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))

static int family;	/* the acs_inspect family's id */
static int failures;	/* checks that failed */

static inline void check(const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* One line per check: "ACSX-CHECK <name> PASS|FAIL <detail>". */
static inline void check(const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	printf("ACSX-CHECK %s %s ", name, ok ? "PASS" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	if (!ok)
		failures++;
}

/* A raw generic netlink socket asking for extended acks. */
static inline int acsi_nl_open(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int one = 1;

	if (fd >= 0)
		setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

/* A request of @cmd with no attributes (@flags: NLM_F_DUMP or 0). */
static inline int acsi_send_cmd(int fd, int cmd, int flags)
{
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr gh;
	} req = {
		.nlh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = family,
			.nlmsg_flags = NLM_F_REQUEST | flags,
		},
		.gh = { .cmd = cmd, .version = ACSI_GENL_VERSION },
	};

	return send(fd, &req, sizeof(req), 0) == sizeof(req) ? 0 : -1;
}

/* A dump read one datagram at a time. */
struct raw_dump {
	int fd;
	int msgs, intr, done, error;
	uint64_t *addrs;	/* if set: each device's packed address */
	int naddrs, maxaddrs;
};

/* The packed address of a device message in *@addr; -1 without one. */
static inline int acsi_msg_addr(struct nlmsghdr *nlh, uint64_t *addr)
{
	struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	int rem = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	uint32_t dom = 0;
	int bus = -1, devfn = -1;

	for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem)) {
		void *d = (char *)a + NLA_HDRLEN;

		if (a->nla_type == ACSI_A_DOMAIN)
			memcpy(&dom, d, 4);
		else if (a->nla_type == ACSI_A_BUS)
			bus = *(uint8_t *)d;
		else if (a->nla_type == ACSI_A_DEVFN)
			devfn = *(uint8_t *)d;
	}
	if (bus < 0 || devfn < 0)
		return -1;
	*addr = ACSI_ADDR_PACK(dom, bus, devfn);
	return 0;
}

/*
 * Read one datagram of @len bytes at most and account what it holds.
 * Returns 1 when the dump ended (NLMSG_DONE or an error), 0 when not,
 * -1 when the read failed.
 */
static inline int raw_read(struct raw_dump *d, size_t len)
{
	static unsigned char buf[65536];
	struct nlmsghdr *nlh;
	int n = recv(d->fd, buf, len < sizeof(buf) ? len : sizeof(buf), 0);

	if (n <= 0)
		return -1;
	for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (unsigned int)n);
	     nlh = NLMSG_NEXT(nlh, n)) {
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			d->intr++;
		if (nlh->nlmsg_type == NLMSG_DONE) {
			d->done = 1;
		} else if (nlh->nlmsg_type == NLMSG_ERROR) {
			d->error = -((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
			d->done = 1;
		} else if (nlh->nlmsg_type == family) {
			d->msgs++;
			if (d->addrs && d->naddrs < d->maxaddrs &&
			    !acsi_msg_addr(nlh, &d->addrs[d->naddrs]))
				d->naddrs++;
		}
	}
	return d->done;
}

static inline int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/* /sys/bus/pci/devices/DDDD:BB:DD.F/@file of packed address @a. */
static inline void dev_path(char *buf, size_t len, uint64_t a, const char *file)
{
	snprintf(buf, len, "/sys/bus/pci/devices/%04x:%02x:%02x.%x/%s",
		 ACSI_ADDR_DOMAIN(a), ACSI_ADDR_BUS(a),
		 ACSI_ADDR_DEVFN(a) >> 3, ACSI_ADDR_DEVFN(a) & 7, file);
}

static inline int pci_write(uint64_t a, const char *file, const char *val)
{
	char path[160];

	dev_path(path, sizeof(path), a, file);
	return sysfs_write(path, val);
}

#endif
