/**
 * Test support shared by the server's tests: DNS cases written as zone-file text and the checker
 * that compares replies with them.
 */
package org.clusterdns.skydns.testing;
