/**
 * Test support shared by the server's tests: a real etcd process for integration tests, and
 * helpers for checking DNS answers.
 */
package org.clusterdns.skydns.testing;
