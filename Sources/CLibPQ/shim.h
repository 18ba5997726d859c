#ifndef CLIBPQ_SHIM_H
#define CLIBPQ_SHIM_H
#include <libpq-fe.h>
#include <poll.h>

/// Waits until the connection's socket is readable or `timeout_ms` passes.
/// Returns >0 when readable, 0 on timeout, -1 on error (errno set).
static inline int cpq_wait_readable(int fd, int timeout_ms) {
    struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
    return poll(&p, 1, timeout_ms);
}
/// Waits until `fd` is readable (returns 1), `wake_fd` is readable (returns 2; ignored when
/// negative), or `timeout_ms` passes (returns 0). -1 on error (errno set).
static inline int cpq_wait_readable2(int fd, int wake_fd, int timeout_ms) {
    struct pollfd p[2] = { { .fd = fd, .events = POLLIN, .revents = 0 }, { .fd = wake_fd, .events = POLLIN, .revents = 0 } };
    int n = poll(p, wake_fd >= 0 ? 2 : 1, timeout_ms);
    if (n <= 0) return n;
    if (p[0].revents) return 1;
    return 2;
}
#endif
