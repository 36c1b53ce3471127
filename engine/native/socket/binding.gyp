{
  "targets": [
    {
      "target_name": "elb_native_socket",
      "sources": ["src/open-socket.c", "src/send-direct.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
