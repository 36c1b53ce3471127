/*
 * sendLatin1(fd, string) -> bytes sent, or -errno
 *
 * One non-blocking send(2) of a one-byte (latin1) string on a connected socket, MSG_NOSIGNAL: the write
 * path of the HTTP proxy when the socket's own write queue is empty (engine/io/direct-write.ts).
 * Returns how many bytes the kernel took (possibly fewer than the string's length) or the negated
 * errno (-EAGAIN when the socket buffer is full); the caller queues what is left on the socket.
 * Strings longer than SEND_DIRECT_MAX are refused with -EMSGSIZE (the caller writes them itself).
 */
#include <node_api.h>
#include <errno.h>
#include <sys/socket.h>

#include "send-direct.h"

#define SEND_DIRECT_MAX (64 * 1024)

static char scratch[SEND_DIRECT_MAX + 1];

static napi_value send_latin1(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd = -1;
  napi_value result;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "sendLatin1(fd, string)");
    return NULL;
  }
  size_t length = 0;
  if (napi_get_value_string_latin1(env, argv[1], scratch, sizeof scratch, &length) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "sendLatin1(fd, string)");
    return NULL;
  }
  int32_t sent;
  if (length >= SEND_DIRECT_MAX) sent = -EMSGSIZE;
  else {
    ssize_t n;
    do n = send(fd, scratch, length, MSG_NOSIGNAL | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    sent = n < 0 ? -errno : (int32_t)n;
  }
  napi_create_int32(env, sent, &result);
  return result;
}

void send_direct_exports(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "sendLatin1", NAPI_AUTO_LENGTH, send_latin1, NULL, &fn);
  napi_set_named_property(env, exports, "sendLatin1", fn);
}
