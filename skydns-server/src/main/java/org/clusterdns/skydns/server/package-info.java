/**
 * The DNS transport: UDP and TCP listeners (Netty, epoll where available), the header checks done
 * before any query logic, TCP framing, and fitting each reply to the client's buffer size.
 */
package org.clusterdns.skydns.server;
