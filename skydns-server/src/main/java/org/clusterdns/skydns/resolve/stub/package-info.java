/**
 * Stub zones: the zones whose questions go to their own nameservers, read from
 * {@code stub.dns.<domain>} in the records and followed as they change, and the resolver step that
 * sends those questions there.
 */
package org.clusterdns.skydns.resolve.stub;
