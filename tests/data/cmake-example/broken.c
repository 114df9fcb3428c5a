/* SPDX-License-Identifier: MIT */
/* Does not compile, on purpose (RF_BROKEN=ON). */
int broken(void) { return 1 }
