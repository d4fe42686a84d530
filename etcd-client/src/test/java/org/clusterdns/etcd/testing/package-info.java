/**
 * Test support for every module that talks to etcd: a real etcd process (Debian's etcd binary)
 * on free loopback ports, plain, with TLS certificates made by openssl, or with authentication.
 */
package org.clusterdns.etcd.testing;
