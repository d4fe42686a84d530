/**
 * Test support shared by the server's tests: a real etcd process for integration tests, DNS cases
 * written as zone-file text, and the checker that compares replies with them.
 */
package org.clusterdns.skydns.testing;
