// SPDX-License-Identifier: GPL-2.0
/*
 * acsi-soak - soak the acs_inspect module inside the KUnit kernel's VM,
 * where KASAN, kmemleak, lockdep and DEBUG_LIST watch it (tests/kunit/
 * soak.sh, and a short run in tests/kunit/run.sh).
 *
 * Three phases:
 *   1. Random and malformed requests built from the YNL spec (the table
 *      gen-soak-spec.py makes of Documentation/netlink/specs/
 *      acs_inspect.yaml): wrong types and lengths, nesting, flags, unknown
 *      attributes, huge and truncated messages, bad headers; meanwhile a
 *      child keeps dumps open at random places (paused readers) and reads
 *      them on, and another cycles hot-plug through sysfs (remove/rescan
 *      of an endpoint and of a bridge, sriov_numvfs down and up, PF
 *      remove/rescan).
 *   2. Load/unload cycles: a dump in flight must keep rmmod from
 *      succeeding; once it is closed, rmmod must succeed (while another
 *      process keeps asking), and the module is loaded again.
 *   3. With --qmp-wait S: "ACSX-SOAK-PHASE qmp" tells the host to start
 *      its QMP device_add/device_del cycles; paused readers and requests
 *      go on until the host's end marker (a pci-testdev, 1b36:0005) is
 *      hot-added, at most S seconds.  Last, because 6.1's pciehp makes
 *      lockdep report (and then turn itself off) on the first hot-add.
 *
 * Usage: acsi-soak --module KO [--messages N] [--cycles N] [--unloads N]
 *                  [--qmp-wait S] [--seed N]
 * Prints "ACSX-SOAK messages=N cycles=N unloads=N readers=N" and one line
 * "ACSX-CHECK soak-... PASS|FAIL ..." per check.  Exit codes: 0 done,
 * 1 a check failed, 2 usage, 3 no acs_inspect family.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "acsi-nl.h"

enum soak_type {
	ST_UNUSED, ST_PAD, ST_FLAG, ST_U8, ST_U16, ST_U32, ST_U64,
	ST_STRING, ST_BINARY, ST_NEST,
};

struct soak_attr {
	int id;
	enum soak_type type;
	int exact_len;
	const char *name;
};

struct soak_op {
	int cmd;
	int has_do, has_dump;
	const int *req;
	int nreq;
	const char *name;
};

#include "acsi-soak-spec.h"

/* The spec and the UAPI header must agree, or the fuzzing is off target. */
_Static_assert(SOAK_ATTR_MAX == ACSI_A_MAX, "spec and UAPI attributes differ");
_Static_assert(SOAK_PROTO_VERSION == ACSI_GENL_VERSION,
	       "spec and UAPI versions differ");

#define NATTRS (int)(sizeof(soak_attrs) / sizeof(soak_attrs[0]))
#define NOPS (int)(sizeof(soak_ops) / sizeof(soak_ops[0]))
#define MAX_DEVS 512
#define PAUSED 8

static uint64_t devs[MAX_DEVS];
static int ndevs;
static uint64_t bridge, endpoint, pf;
static int nvfs;
static unsigned int rnd_state;
static long fuzzed;		/* messages so far, for progress lines */
static time_t start;

static unsigned int rnd(unsigned int n)
{
	/* xorshift: reproducible from --seed, no libc state shared by forks */
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return n ? rnd_state % n : 0;
}

/* Append an attribute; returns the new length or -1 when @cap is short. */
static int put_attr(unsigned char *buf, int len, int cap, int type,
		    const void *data, int dlen)
{
	struct nlattr *a = (struct nlattr *)(buf + len);

	if (len + NLA_HDRLEN + NLA_ALIGN(dlen) > cap)
		return -1;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + dlen;
	if (dlen)
		memcpy(buf + len + NLA_HDRLEN, data, dlen);
	memset(buf + len + NLA_HDRLEN + dlen, 0, NLA_ALIGN(dlen) - dlen);
	return len + NLA_HDRLEN + NLA_ALIGN(dlen);
}

static int type_len(enum soak_type t)
{
	switch (t) {
	case ST_U8:
		return 1;
	case ST_U16:
		return 2;
	case ST_U32:
		return 4;
	case ST_U64:
		return 8;
	case ST_FLAG:
		return 0;
	default:
		return -1;
	}
}

/* A value for @a: right length mostly, wrong sometimes. */
static int gen_value(const struct soak_attr *a, unsigned char *val, int wrong)
{
	int len = type_len(a->type), i;

	if (a->exact_len)
		len = a->exact_len;
	if (len < 0)	/* strings, binaries */
		len = rnd(40);
	if (wrong)
		len = rnd(4) ? rnd(12) : rnd(600);
	for (i = 0; i < len; i++)
		val[i] = rnd(256);
	if (a->type == ST_STRING && len && !wrong)
		val[len - 1] = 0;
	/* Often a real device's address: reach past the lookups. */
	if (!wrong && ndevs && rnd(2)) {
		uint64_t d = devs[rnd(ndevs)];

		if (a->id == ACSI_A_DOMAIN) {
			uint32_t v = ACSI_ADDR_DOMAIN(d);

			memcpy(val, &v, 4);
		} else if (a->id == ACSI_A_BUS) {
			val[0] = ACSI_ADDR_BUS(d);
		} else if (a->id == ACSI_A_DEVFN) {
			val[0] = ACSI_ADDR_DEVFN(d);
		}
	}
	return len;
}

/* Attributes for @op into buf[len..cap): its own, others, junk, nests. */
static int gen_attrs(unsigned char *buf, int len, int cap,
		     const struct soak_op *op, int depth)
{
	int n = rnd(6), i;
	unsigned char val[1024];

	for (i = 0; i < n && len >= 0; i++) {
		const struct soak_attr *a;
		int type, vlen, pick = rnd(10);

		if (op && op->nreq && pick < 5)
			a = &soak_attrs[op->req[rnd(op->nreq)]];
		else
			a = &soak_attrs[rnd(NATTRS)];
		type = a->id;
		if (pick == 9)
			type = rnd(2) ? ACSI_A_MAX + 1 + (int)rnd(200) :
					(int)rnd(0x4000);	/* unknown */
		if (rnd(16) == 0)
			type |= NLA_F_NESTED;
		if (rnd(32) == 0)
			type |= NLA_F_NET_BYTEORDER;
		if (a->type == ST_NEST && depth < 3 && rnd(2)) {
			int start = len;

			len = put_attr(buf, len, cap, type, NULL, 0);
			if (len < 0)
				return -1;
			len = gen_attrs(buf, len, cap, NULL, depth + 1);
			if (len < 0)
				return -1;
			((struct nlattr *)(buf + start))->nla_len = len - start;
			continue;
		}
		vlen = gen_value(a, val, rnd(3) == 0);
		len = put_attr(buf, len, cap, type, val, vlen);
	}
	return len;
}

/*
 * One request: mostly a known command with its attributes, sometimes any
 * command byte, bad header fields, a truncated last attribute, a length
 * field that lies, or 60 KiB of attributes.
 */
static int gen_msg(unsigned char *buf, int cap)
{
	const struct soak_op *op = &soak_ops[rnd(NOPS)];
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct genlmsghdr *gh = (struct genlmsghdr *)(buf + NLMSG_HDRLEN);
	int len = NLMSG_HDRLEN + GENL_HDRLEN, mode = rnd(20), tries;

	memset(buf, 0, len);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	if (rnd(2))
		nlh->nlmsg_flags |= NLM_F_ACK;
	if (op->has_dump && rnd(4) == 0)
		nlh->nlmsg_flags |= NLM_F_DUMP;
	if (rnd(30) == 0)
		nlh->nlmsg_flags = rnd(0x10000);
	nlh->nlmsg_seq = rnd(0xffffffffU);
	gh->cmd = rnd(10) ? (unsigned int)op->cmd : rnd(256);
	gh->version = rnd(8) ? ACSI_GENL_VERSION : rnd(256);
	if (rnd(30) == 0)
		gh->reserved = rnd(0x10000);
	if (mode == 0) {	/* huge */
		for (tries = 0; tries < 200 && len >= 0 && len < 60 * 1024; tries++) {
			int l = gen_attrs(buf, len, cap, op, 0);

			if (l < 0)
				break;
			len = l;
		}
	} else {
		int l = gen_attrs(buf, len, cap, op, 0);

		if (l > 0)
			len = l;
	}
	nlh->nlmsg_len = len;
	switch (mode) {
	case 1:		/* truncated: the datagram ends before the data */
		return NLMSG_HDRLEN + rnd(len - NLMSG_HDRLEN + 1);
	case 2:		/* nlmsg_len says more than was sent */
		nlh->nlmsg_len = len + 1 + rnd(4096);
		return len;
	case 3:		/* nlmsg_len says less */
		nlh->nlmsg_len = rnd(len + 1);
		return len;
	case 4:		/* the last attribute claims more than is there */
		if (len > (int)(NLMSG_HDRLEN + GENL_HDRLEN))
			buf[len - 1] ^= 0xff;
		return len - rnd(4);
	}
	return len;
}

/* Read whatever the kernel queued; a dump is read on a few times. */
static void drain(int fd)
{
	static unsigned char buf[65536];
	int i;

	for (i = 0; i < 64; i++)
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) < 0)
			break;
}

static long fuzz(long n)
{
	static unsigned char buf[64 * 1024 + 64];
	int fd = -1;
	long i, sent = 0;

	for (i = 0; i < n; i++) {
		int len;

		if (fd < 0 || i % 500 == 0) {
			if (fd >= 0)
				close(fd);
			fd = acsi_nl_open();
			if (fd < 0)
				return sent;
		}
		len = gen_msg(buf, 64 * 1024);
		if (send(fd, buf, len, MSG_DONTWAIT) >= 0 || errno != EBADF)
			sent++;
		drain(fd);
		if (++fuzzed % 2000 == 0) {
			printf("ACSX-STEP fuzz %ld messages, %ld s\n", fuzzed,
			       (long)(time(NULL) - start));
			fflush(stdout);
		}
	}
	if (fd >= 0)
		close(fd);
	return sent;
}

/*
 * Dumps held open at random places and read on at random, until @stop
 * reads EOF.  Returns the number of dumps that ended.
 */
static long paused_readers(int stop)
{
	int fds[PAUSED], i;
	long ended = 0;

	for (i = 0; i < PAUSED; i++)
		fds[i] = -1;
	for (;;) {
		struct pollfd p = { .fd = stop, .events = POLLIN };
		int r;

		if (poll(&p, 1, 0) > 0)
			break;
		i = rnd(PAUSED);
		if (fds[i] < 0) {
			fds[i] = acsi_nl_open();
			if (fds[i] >= 0 && acsi_send_cmd(fds[i], ACSI_CMD_GET_DEVICE, NLM_F_DUMP)) {
				close(fds[i]);
				fds[i] = -1;
			}
			continue;
		}
		switch (rnd(4)) {
		case 0:		/* give up half way */
			close(fds[i]);
			fds[i] = -1;
			break;
		default: {	/* read on, with a random buffer size */
			struct raw_dump d = { .fd = fds[i] };

			r = raw_read(&d, 4096 + rnd(28 * 1024));
			if (r) {
				ended += r > 0;
				close(fds[i]);
				fds[i] = -1;
			}
		}
		}
		/*
		 * Paused for real: up to 100 ms.  Dumping flat out only takes
		 * the rescan lock and the CPU from the requests and the
		 * hot-plug that should race with the held dumps.
		 */
		usleep(rnd(100000));
	}
	for (i = 0; i < PAUSED; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return ended;
}

/*
 * Rescan the bus that held the removed device @a: the same re-enumeration
 * of what was removed, without re-reading every slot of all 24 root ports
 * (seconds under TCG and KASAN, with the rescan lock held).
 */
static void rescan(uint64_t a)
{
	char path[80];

	snprintf(path, sizeof(path), "/sys/class/pci_bus/%04x:%02x/rescan",
		 ACSI_ADDR_DOMAIN(a), ACSI_ADDR_BUS(a));
	if (sysfs_write(path, "1"))
		sysfs_write("/sys/bus/pci/rescan", "1");
}

static void set_vfs(int n)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", n);
	pci_write(pf, "sriov_drivers_autoprobe", "0");
	pci_write(pf, "sriov_numvfs", "0");
	if (n)
		pci_write(pf, "sriov_numvfs", v);
}

/* @n hot-plug cycles through sysfs; returns those done. */
static long hotplug(long n)
{
	long i, done = 0;

	for (i = 0; i < n; i++) {
		switch (i % 4) {
		case 0:
			if (!endpoint)
				continue;
			pci_write(endpoint, "remove", "1");
			rescan(endpoint);
			break;
		case 1:
			if (!bridge)
				continue;
			pci_write(bridge, "remove", "1");
			rescan(bridge);
			break;
		case 2:
			if (!pf)
				continue;
			set_vfs(0);
			set_vfs(nvfs);
			break;
		case 3:
			if (!pf)
				continue;
			set_vfs(0);
			pci_write(pf, "remove", "1");
			rescan(pf);
			set_vfs(nvfs);
			break;
		}
		done++;
		if (done % 20 == 0) {
			printf("ACSX-STEP hot-plug %ld cycles, %ld s\n", done,
			       (long)(time(NULL) - start));
			fflush(stdout);
		}
	}
	return done;
}

static int resolve_family(void)
{
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr gh;
		unsigned char attrs[64];
	} req = {
		.nlh = {
			.nlmsg_type = GENL_ID_CTRL,
			.nlmsg_flags = NLM_F_REQUEST,
		},
		.gh = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 },
	};
	static unsigned char buf[8192];
	int fd = acsi_nl_open(), len, r, id = -1;
	struct nlmsghdr *nlh;

	if (fd < 0)
		return -1;
	len = put_attr(req.attrs, 0, sizeof(req.attrs), CTRL_ATTR_FAMILY_NAME,
		       ACSI_GENL_NAME, sizeof(ACSI_GENL_NAME));
	req.nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + len;
	if (send(fd, &req, req.nlh.nlmsg_len, 0) < 0) {
		close(fd);
		return -1;
	}
	r = recv(fd, buf, sizeof(buf), 0);
	for (nlh = (struct nlmsghdr *)buf; r > 0 && NLMSG_OK(nlh, (unsigned int)r);
	     nlh = NLMSG_NEXT(nlh, r)) {
		struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
		int rem = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;

		if (nlh->nlmsg_type != GENL_ID_CTRL)
			continue;
		for (; NLA_OK(a, rem); a = NLA_NEXT(a, rem))
			if (a->nla_type == CTRL_ATTR_FAMILY_ID)
				id = *(uint16_t *)((char *)a + NLA_HDRLEN);
	}
	close(fd);
	return id;
}

/* Every device's address, from one full dump. */
static void list_devices(void)
{
	int fd = acsi_nl_open(), r = 0;
	struct raw_dump d = { .fd = fd, .addrs = devs, .maxaddrs = MAX_DEVS };

	ndevs = 0;
	if (fd < 0 || acsi_send_cmd(fd, ACSI_CMD_GET_DEVICE, NLM_F_DUMP)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while (r == 0)
		r = raw_read(&d, 65536);
	ndevs = d.naddrs;
	close(fd);
}

/* The PF (has sriov_totalvfs), a downstream port and an endpoint below one. */
static void pick_targets(void)
{
	char path[200];
	int i;

	for (i = 0; i < ndevs; i++) {
		uint64_t a = devs[i];
		char cls[16] = "";
		FILE *f;

		snprintf(path, sizeof(path),
			 "/sys/bus/pci/devices/%04x:%02x:%02x.%x/sriov_totalvfs",
			 ACSI_ADDR_DOMAIN(a), ACSI_ADDR_BUS(a),
			 ACSI_ADDR_DEVFN(a) >> 3, ACSI_ADDR_DEVFN(a) & 7);
		if (!access(path, F_OK)) {
			char n[16] = "";

			pf = a;
			strcpy(strrchr(path, '/'), "/sriov_numvfs");
			f = fopen(path, "r");
			if (f && fgets(n, sizeof(n), f))
				nvfs = atoi(n);
			if (f)
				fclose(f);
		}
		strcpy(strrchr(path, '/'), "/class");
		f = fopen(path, "r");
		if (f && fgets(cls, sizeof(cls), f)) {
			/* 0x060400 bridges off bus 0 are the switch's ports */
			if (!strncmp(cls, "0x0604", 6) && ACSI_ADDR_BUS(a) > 1 &&
			    !bridge)
				bridge = a;
			if (!strncmp(cls, "0x0200", 6) && ACSI_ADDR_BUS(a))
				endpoint = a;
		}
		if (f)
			fclose(f);
	}
}

static int load(const char *ko, int kprobes)
{
	int fd = open(ko, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = (int)syscall(SYS_finit_module, fd, kprobes ? "kprobes=1" : "", 0);
	close(fd);
	return r;
}

/*
 * @n times: a dump in flight pins the module (rmmod refused), after it is
 * closed rmmod succeeds while a child keeps asking GET_INFO, and the
 * module is loaded again, kretprobes on every other time.
 */
static long unload_cycles(const char *ko, long n)
{
	long i, done = 0;
	int refused = 0, stop[2];
	pid_t asker;

	if (pipe(stop))
		return 0;
	asker = fork();
	if (asker == 0) {
		struct pollfd p = { .fd = stop[0], .events = POLLIN };

		close(stop[1]);
		while (poll(&p, 1, 0) == 0) {
			unsigned char buf[4096];
			struct {
				struct nlmsghdr nlh;
				struct genlmsghdr gh;
			} req = {
				.nlh = { .nlmsg_len = sizeof(req),
					 .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK },
				.gh = { .cmd = ACSI_CMD_GET_INFO, .version = ACSI_GENL_VERSION },
			};
			int fd = acsi_nl_open(), id = resolve_family();

			if (fd >= 0 && id > 0) {
				req.nlh.nlmsg_type = id;
				if (send(fd, &req, sizeof(req), 0) > 0)
					recv(fd, buf, sizeof(buf), 0);
			}
			if (fd >= 0)
				close(fd);
		}
		_exit(0);
	}
	close(stop[0]);
	for (i = 0; i < n; i++) {
		int fd = acsi_nl_open(), tries;
		struct raw_dump d = { .fd = fd };

		family = resolve_family();
		if (fd < 0 || family < 0 || acsi_send_cmd(fd, ACSI_CMD_GET_DEVICE, NLM_F_DUMP) ||
		    raw_read(&d, 4096) != 0) {
			if (fd >= 0)
				close(fd);
			break;
		}
		if (syscall(SYS_delete_module, "acs_inspect", O_NONBLOCK) == 0) {
			close(fd);
			break;	/* unloaded under an open dump: wrong */
		}
		refused++;
		close(fd);
		/*
		 * The socket's release drops the dump's module reference after
		 * an RCU grace period: give it up to 10 s.
		 */
		for (tries = 0; tries < 1000; tries++) {
			if (syscall(SYS_delete_module, "acs_inspect", O_NONBLOCK) == 0)
				break;
			usleep(10000);
		}
		if (tries == 1000) {
			printf("ACSX-STEP rmmod after close: %s\n", strerror(errno));
			break;
		}
		done++;
		if (load(ko, i & 1)) {
			printf("ACSX-STEP reload failed: %s\n", strerror(errno));
			break;
		}
	}
	close(stop[1]);
	waitpid(asker, NULL, 0);
	family = resolve_family();
	check("soak-unloads", done == n && refused == n,
	      "%ld of %ld unloads, rmmod refused under %d open dumps", done, n,
	      refused);
	return done;
}

/* The host's end marker: a hot-added pci-testdev (1b36:0005). */
static int marker_present(void)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	int found = 0;

	while (d && !found && (e = readdir(d))) {
		char path[300], id[2][16] = { "", "" };
		const char *f[2] = { "vendor", "device" };
		int j;

		if (e->d_name[0] == '.')
			continue;
		for (j = 0; j < 2; j++) {
			FILE *fp;

			snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s",
				 e->d_name, f[j]);
			fp = fopen(path, "r");
			if (fp && !fgets(id[j], sizeof(id[j]), fp))
				id[j][0] = 0;
			if (fp)
				fclose(fp);
		}
		found = !strncmp(id[0], "0x1b36", 6) && !strncmp(id[1], "0x0005", 6);
	}
	if (d)
		closedir(d);
	return found;
}

/* A child running paused_readers() until *@stop is closed. */
static pid_t start_readers(int *stop, int *count)
{
	int s[2], c[2];
	pid_t pid;

	if (pipe(s) || pipe(c))
		return -1;
	pid = fork();
	if (pid == 0) {
		long dumps;

		close(s[1]);
		close(c[0]);
		rnd_state ^= 0x9e3779b9;
		dumps = paused_readers(s[0]);
		if (write(c[1], &dumps, sizeof(dumps)) < 0)
			_exit(1);
		_exit(0);
	}
	close(s[0]);
	close(c[1]);
	*stop = s[1];
	*count = c[0];
	return pid;
}

/* Stop the readers; the number of dumps they read to the end. */
static long stop_readers(pid_t pid, int stop, int count)
{
	long dumps = 0;

	close(stop);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	if (read(count, &dumps, sizeof(dumps)) != sizeof(dumps))
		dumps = 0;
	close(count);
	return dumps;
}

/*
 * Phase 3: the host hot-plugs over QMP while dumps are paused and read on
 * and requests keep coming, until its end marker appears.
 */
static long qmp_phase(long wait_s, long *dumps)
{
	int stop, count, seen = 0;
	pid_t reader;
	time_t t0 = time(NULL);
	long sent = 0;

	reader = start_readers(&stop, &count);
	printf("ACSX-SOAK-PHASE qmp\n");
	fflush(stdout);
	while (time(NULL) - t0 < wait_s && !(seen = marker_present())) {
		sent += fuzz(200);
		usleep(10000);
	}
	*dumps += stop_readers(reader, stop, count);
	check("soak-qmp", seen, "host's end marker %s after %ld s, %ld messages meanwhile",
	      seen ? "seen" : "not seen", (long)(time(NULL) - t0), sent);
	return sent;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "module", required_argument, NULL, 'k' },
		{ "messages", required_argument, NULL, 'm' },
		{ "cycles", required_argument, NULL, 'c' },
		{ "unloads", required_argument, NULL, 'u' },
		{ "qmp-wait", required_argument, NULL, 'q' },
		{ "seed", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	long messages = 100000, cycles = 200, unloads = 100, qmp_wait = 0;
	long sent, cycled = 0, unloaded, dumps = 0;
	const char *ko = NULL;
	int opt, stop, count, counts[2];
	pid_t reader, plugger;

	rnd_state = 0x5eed;
	while ((opt = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (opt) {
		case 'k':
			ko = optarg;
			break;
		case 'm':
			messages = atol(optarg);
			break;
		case 'c':
			cycles = atol(optarg);
			break;
		case 'u':
			unloads = atol(optarg);
			break;
		case 'q':
			qmp_wait = atol(optarg);
			break;
		case 'r':
			rnd_state = (unsigned int)atol(optarg) | 1;
			break;
		default:
			return 2;
		}
	}
	if (!ko || optind != argc) {
		fprintf(stderr, "usage: acsi-soak --module KO [--messages N] [--cycles N] [--unloads N] [--qmp-wait S] [--seed N]\n");
		return 2;
	}
	start = time(NULL);
	family = resolve_family();
	if (family < 0) {
		fprintf(stderr, "acsi-soak: family %s not registered\n",
			ACSI_GENL_NAME);
		return 3;
	}
	list_devices();
	pick_targets();
	printf("ACSX-STEP soak: %d devices, bridge %s, endpoint %s, PF with %d VFs\n",
	       ndevs, bridge ? "yes" : "no", endpoint ? "yes" : "no", nvfs);
	fflush(stdout);

	/* Phase 1: requests, paused readers and sysfs hot-plug at once. */
	reader = start_readers(&stop, &count);
	if (pipe(counts))
		return 1;
	plugger = fork();
	if (plugger == 0) {
		close(counts[0]);
		rnd_state ^= 0x7f4a7c15;
		cycled = hotplug(cycles);
		if (write(counts[1], &cycled, sizeof(cycled)) < 0)
			_exit(1);
		_exit(0);
	}
	close(counts[1]);
	sent = fuzz(messages);
	printf("ACSX-STEP fuzz done: %ld messages, %ld s\n", sent,
	       (long)(time(NULL) - start));
	fflush(stdout);
	waitpid(plugger, NULL, 0);
	if (read(counts[0], &cycled, sizeof(cycled)) != sizeof(cycled))
		cycled = 0;
	close(counts[0]);
	dumps = stop_readers(reader, stop, count);
	printf("ACSX-SOAK-PHASE hotplug-done seconds=%ld\n",
	       (long)(time(NULL) - start));
	fflush(stdout);
	check("soak-fuzz", sent >= messages, "%ld of %ld messages sent", sent,
	      messages);
	check("soak-hotplug", cycled == cycles, "%ld of %ld sysfs hot-plug cycles",
	      cycled, cycles);

	/* Phase 2 */
	unloaded = unload_cycles(ko, unloads);
	printf("ACSX-SOAK-PHASE unloads-done seconds=%ld\n",
	       (long)(time(NULL) - start));
	fflush(stdout);

	/* Phase 3 */
	if (qmp_wait > 0 && family >= 0)
		sent += qmp_phase(qmp_wait, &dumps);
	printf("ACSX-SOAK messages=%ld cycles=%ld unloads=%ld readers=%ld seconds=%ld\n",
	       sent, cycled, unloaded, dumps, (long)(time(NULL) - start));
	fflush(stdout);
	return failures ? 1 : 0;
}
