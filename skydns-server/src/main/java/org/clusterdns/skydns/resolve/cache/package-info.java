/**
 * The response cache ({@code rcache}): a resolver step that answers repeated questions with
 * complete replies the rest of the chain gave before, their TTLs counted down, until they expire
 * or, for answers made from the index, until the index changes.
 */
package org.clusterdns.skydns.resolve.cache;
