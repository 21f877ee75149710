/** Implementation of the starter. Not API: may change in any release. */
package dev.backstop.spring.internal;
