/** Flag values in the syntax of Go's standard library, so both processes accept what the Go originals accepted. */
package org.clusterdns.process.flags;
