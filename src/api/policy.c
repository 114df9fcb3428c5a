/* SPDX-License-Identifier: MIT */
/* The public policy calls: thin wrappers over the policy module that check their arguments. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "ringfence.h"
#include "base/alloc.h"
#include "base/error.h"
#include "policy/policy.h"

/* The package version from config.h. */
RF_EXPORT const char *rf_version(void)
{
        return PACKAGE_VERSION;
}

/* A heap policy holding the default; NULL only if the default cannot be built. */
RF_EXPORT rf_policy *rf_policy_new_default(rf_error *err)
{
        rf_policy *p = xcalloc(1, sizeof(*p));

        if (policy_init_default(p, err) < 0) {
                free(p);
                return NULL;
        }
        return p;
}

/* Free p and what it owns; NULL is fine. */
RF_EXPORT rf_policy *rf_policy_free(rf_policy *p)
{
        if (p) {
                policy_done(p);
                free(p);
        }
        return NULL;
}

/* policy_set with its arguments checked: NULL policy, key or value is -EINVAL. */
RF_EXPORT int rf_policy_set(rf_policy *p, const char *key, const char *value, const char *origin,
                            rf_error *err)
{
        if (!p || !key || !value)
                return rf_error_set(err, -EINVAL, "rf_policy_set: the policy, key and value must "
                                                  "not be NULL");
        return policy_set(p, key, value, origin, err);
}
