/** Implementation details of core; not API, may change in any release. */
package dev.backstop.core.internal;
