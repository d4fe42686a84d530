/**
 * Query processing: the {@link org.clusterdns.skydns.resolve.Resolver} contract, the request a
 * resolver sees, and the chain of resolvers in its one fixed order (metrics, cache, stub,
 * authoritative, forward). A step may rely on the steps after it, never on those before.
 */
package org.clusterdns.skydns.resolve;
