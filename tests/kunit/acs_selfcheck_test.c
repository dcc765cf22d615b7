// SPDX-License-Identifier: GPL-2.0
/*
 * A deliberately broken suite, built only by
 * `tests/kunit/run.sh --self-check`, to prove the harness notices a failing
 * case, a memory leak, a lockdep splat and a KASAN report.  Never part of a
 * normal run.
 */
#include <kunit/test.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "acs_core.h"
#include "acs_fake_pci.h"

/* A wrong expectation: 0000:00:00.0 does not pack to 1. */
static void acs_self_check_failing_case(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, acsi_pack_addr(acsx_fake_alone(test, &fx_cx3_ep)),
			1ULL);
}

/* A leak: nothing keeps the pointer once this case's thread exits. */
static void acs_self_check_leak(struct kunit *test)
{
	void *p = kmalloc(128, GFP_KERNEL);

	KUNIT_EXPECT_NOT_NULL(test, p);
}

static DEFINE_MUTEX(acs_self_check_a);
static DEFINE_MUTEX(acs_self_check_b);

/* An AB-BA lock order: lockdep reports it without deadlocking. */
static void acs_self_check_lock_inversion(struct kunit *test)
{
	mutex_lock(&acs_self_check_a);
	mutex_lock(&acs_self_check_b);
	mutex_unlock(&acs_self_check_b);
	mutex_unlock(&acs_self_check_a);

	mutex_lock(&acs_self_check_b);
	mutex_lock(&acs_self_check_a);
	mutex_unlock(&acs_self_check_a);
	mutex_unlock(&acs_self_check_b);
}

/* A read one byte past a kmalloc() object: KASAN reports it. */
static void acs_self_check_out_of_bounds(struct kunit *test)
{
	u8 *p = kmalloc(8, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	OPTIMIZER_HIDE_VAR(p);
	KUNIT_EXPECT_EQ(test, READ_ONCE(p[8]), 0);
	kfree(p);
}

static struct kunit_case acs_self_check_cases[] = {
	KUNIT_CASE(acs_self_check_failing_case),
	KUNIT_CASE(acs_self_check_leak),
	KUNIT_CASE(acs_self_check_lock_inversion),
	KUNIT_CASE(acs_self_check_out_of_bounds),
	{}
};

static struct kunit_suite acs_self_check_suite = {
	.name = "acs_inspect_self_check",
	.test_cases = acs_self_check_cases,
};

kunit_test_suite(acs_self_check_suite);
