/** kube2sky's command line flags and environment variables, validated into an immutable config record. */
package org.clusterdns.kube2sky.config;
