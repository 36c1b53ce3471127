"use strict";
// The addon built by node-gyp at npm install (build/Release/elb_native_socket.node).
module.exports = require("./build/Release/elb_native_socket.node");
