/*
 * openSocket(family, type, address, port, reusePort) -> fd
 *
 * Creates an IPv4/IPv6 TCP or UDP socket, sets SO_REUSEADDR (TCP) and, when asked, SO_REUSEPORT, binds it
 * to address:port and returns the descriptor (close-on-exec, non-blocking). IPV6_V6ONLY keeps the kernel's
 * default, as in Node's net and dgram. Node 20's net and dgram cannot
 * set SO_REUSEPORT before bind; they take the bound descriptor instead: net.Server.listen({ fd }) and
 * dgram.Socket.bind({ fd }). Errors are thrown with the errno name as `code` (EADDRINUSE, EACCES, ...).
 *
 * openTransparentSocket(family, type, sourceAddress) -> fd
 *
 * Creates an IPv4/IPv6 TCP or UDP socket with IP_TRANSPARENT / IPV6_TRANSPARENT (root or CAP_NET_ADMIN,
 * else EPERM), which lets it bind an address that is not local (a client's), binds it to
 * sourceAddress:0 and returns the unconnected descriptor (close-on-exec, non-blocking) for
 * net.Socket({ fd }).connect() / dgram bind({ fd }). TCP also gets IP_BIND_ADDRESS_NO_PORT: the kernel
 * picks the port at connect time, per destination, instead of reserving one at bind.
 *
 * tcpInfoRtt(fd) -> microseconds
 *
 * The smoothed round-trip time of a connected TCP socket (Linux TCP_INFO tcpi_rtt, in µs), for the
 * access log's tcpinfo_rtt; -1 when the kernel cannot tell (not a TCP socket, closed). Never throws
 * on a bad descriptor: it is read at the end of a request, when the client may already be gone.
 */
#include <node_api.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "send-direct.h"

static const char *errno_code(int err) {
  switch (err) {
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case EACCES: return "EACCES";
    case EPERM: return "EPERM";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EINVAL: return "EINVAL";
    case ENOPROTOOPT: return "ENOPROTOOPT";
    case ENOBUFS: return "ENOBUFS";
    case ENOMEM: return "ENOMEM";
    default: return "EIO";
  }
}

static napi_value throw_errno(napi_env env, const char *syscall, int err) {
  char message[160];
  snprintf(message, sizeof message, "%s: %s", syscall, strerror(err));
  napi_throw_error(env, errno_code(err), message);
  return NULL;
}

static napi_value open_socket(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5) {
    napi_throw_type_error(env, "EINVAL", "openSocket(family, type, address, port, reusePort)");
    return NULL;
  }
  int32_t family = 0, port = 0;
  bool reuse_port = false;
  char type[8] = {0}, address[INET6_ADDRSTRLEN + 1] = {0};
  size_t length = 0;
  if (napi_get_value_int32(env, argv[0], &family) != napi_ok || (family != 4 && family != 6) ||
      napi_get_value_string_utf8(env, argv[1], type, sizeof type, &length) != napi_ok ||
      napi_get_value_string_utf8(env, argv[2], address, sizeof address, &length) != napi_ok ||
      napi_get_value_int32(env, argv[3], &port) != napi_ok || port < 0 || port > 65535 ||
      napi_get_value_bool(env, argv[4], &reuse_port) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "openSocket: family 4|6, type \"tcp\"|\"udp\", address, port 0-65535, reusePort boolean");
    return NULL;
  }
  int is_tcp = strcmp(type, "tcp") == 0;
  if (!is_tcp && strcmp(type, "udp") != 0) {
    napi_throw_type_error(env, "EINVAL", "openSocket: type must be \"tcp\" or \"udp\"");
    return NULL;
  }

  struct sockaddr_storage storage;
  socklen_t storage_length;
  memset(&storage, 0, sizeof storage);
  if (family == 4) {
    struct sockaddr_in *in4 = (struct sockaddr_in *)&storage;
    in4->sin_family = AF_INET;
    in4->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, address, &in4->sin_addr) != 1) return throw_errno(env, "inet_pton", EINVAL);
    storage_length = sizeof *in4;
  } else {
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&storage;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = htons((uint16_t)port);
    if (inet_pton(AF_INET6, address, &in6->sin6_addr) != 1) return throw_errno(env, "inet_pton", EINVAL);
    storage_length = sizeof *in6;
  }

  int fd = socket(family == 4 ? AF_INET : AF_INET6,
                  (is_tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket", errno);
  int on = 1;
  if (is_tcp && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) goto fail_setsockopt;
  if (reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) goto fail_setsockopt;
  /* IPV6_V6ONLY is left at the kernel's default (net.ipv6.bindv6only, normally 0: "::" takes IPv4 too), as
   * Node's own listen/bind does, so a listener behaves the same whichever way its socket was opened. */
  if (bind(fd, (struct sockaddr *)&storage, storage_length) != 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, "bind", err);
  }
  napi_value result;
  napi_create_int32(env, fd, &result);
  return result;

fail_setsockopt: {
    int err = errno;
    close(fd);
    return throw_errno(env, "setsockopt", err);
  }
}

#ifndef IP_TRANSPARENT
#define IP_TRANSPARENT 19
#endif
#ifndef IPV6_TRANSPARENT
#define IPV6_TRANSPARENT 75
#endif
#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

/* Parses family 4|6 and a literal address into storage with port 0; false (EINVAL thrown by caller) if it is not one. */
static bool fill_address(int32_t family, const char *address, struct sockaddr_storage *storage, socklen_t *length) {
  memset(storage, 0, sizeof *storage);
  if (family == 4) {
    struct sockaddr_in *in4 = (struct sockaddr_in *)storage;
    in4->sin_family = AF_INET;
    *length = sizeof *in4;
    return inet_pton(AF_INET, address, &in4->sin_addr) == 1;
  }
  struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)storage;
  in6->sin6_family = AF_INET6;
  *length = sizeof *in6;
  return inet_pton(AF_INET6, address, &in6->sin6_addr) == 1;
}

static napi_value open_transparent_socket(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3) {
    napi_throw_type_error(env, "EINVAL", "openTransparentSocket(family, type, sourceAddress)");
    return NULL;
  }
  int32_t family = 0;
  char type[8] = {0}, address[INET6_ADDRSTRLEN + 1] = {0};
  size_t length = 0;
  if (napi_get_value_int32(env, argv[0], &family) != napi_ok || (family != 4 && family != 6) ||
      napi_get_value_string_utf8(env, argv[1], type, sizeof type, &length) != napi_ok ||
      napi_get_value_string_utf8(env, argv[2], address, sizeof address, &length) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "openTransparentSocket: family 4|6, type \"tcp\"|\"udp\", sourceAddress");
    return NULL;
  }
  int is_tcp = strcmp(type, "tcp") == 0;
  if (!is_tcp && strcmp(type, "udp") != 0) {
    napi_throw_type_error(env, "EINVAL", "openTransparentSocket: type must be \"tcp\" or \"udp\"");
    return NULL;
  }
  struct sockaddr_storage storage;
  socklen_t storage_length;
  if (!fill_address(family, address, &storage, &storage_length)) return throw_errno(env, "inet_pton", EINVAL);

  int fd = socket(family == 4 ? AF_INET : AF_INET6,
                  (is_tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return throw_errno(env, "socket", errno);
  int on = 1;
  const char *step = "setsockopt(IP_TRANSPARENT)";
  int ok = family == 4 ? setsockopt(fd, SOL_IP, IP_TRANSPARENT, &on, sizeof on)
                       : setsockopt(fd, SOL_IPV6, IPV6_TRANSPARENT, &on, sizeof on);
  /* Best effort: an older kernel without IP_BIND_ADDRESS_NO_PORT still works, one port per bind. */
  if (ok == 0 && is_tcp) (void)setsockopt(fd, SOL_IP, IP_BIND_ADDRESS_NO_PORT, &on, sizeof on);
  if (ok == 0) {
    step = "bind";
    ok = bind(fd, (struct sockaddr *)&storage, storage_length);
  }
  if (ok != 0) {
    int err = errno;
    close(fd);
    return throw_errno(env, step, err);
  }
  napi_value result;
  napi_create_int32(env, fd, &result);
  return result;
}

static napi_value close_fd(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok || fd < 0) {
    napi_throw_type_error(env, "EINVAL", "closeFd(fd)");
    return NULL;
  }
  if (close(fd) != 0) return throw_errno(env, "close", errno);
  return NULL;
}

static napi_value tcp_info_rtt(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t fd = -1;
  napi_value result;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "tcpInfoRtt(fd)");
    return NULL;
  }
  struct tcp_info ti;
  socklen_t length = sizeof ti;
  memset(&ti, 0, sizeof ti);
  int32_t rtt = -1;
  if (fd >= 0 && getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &length) == 0) rtt = (int32_t)ti.tcpi_rtt;
  napi_create_int32(env, rtt, &result);
  return result;
}

NAPI_MODULE_INIT() {
  napi_value fn;
  napi_create_function(env, "tcpInfoRtt", NAPI_AUTO_LENGTH, tcp_info_rtt, NULL, &fn);
  napi_set_named_property(env, exports, "tcpInfoRtt", fn);
  napi_create_function(env, "openSocket", NAPI_AUTO_LENGTH, open_socket, NULL, &fn);
  napi_set_named_property(env, exports, "openSocket", fn);
  napi_create_function(env, "openTransparentSocket", NAPI_AUTO_LENGTH, open_transparent_socket, NULL, &fn);
  napi_set_named_property(env, exports, "openTransparentSocket", fn);
  napi_create_function(env, "closeFd", NAPI_AUTO_LENGTH, close_fd, NULL, &fn);
  napi_set_named_property(env, exports, "closeFd", fn);
  send_direct_exports(env, exports);
  return exports;
}
