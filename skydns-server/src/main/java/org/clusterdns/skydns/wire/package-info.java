/**
 * Reading and patching encoded DNS messages in place, for the caches that reuse encoded replies
 * without parsing them into objects.
 */
package org.clusterdns.skydns.wire;
