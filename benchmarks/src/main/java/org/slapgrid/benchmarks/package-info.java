/** JMH benchmarks, run outside the test suite; see docs/benchmarks.md. */
package org.slapgrid.benchmarks;
