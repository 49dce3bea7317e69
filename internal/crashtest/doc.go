// Package crashtest holds the resilience tests: they build the real
// gongkai binary, kill the server with SIGKILL while it publishes items
// and registers applications, restart it on the same data and check that
// every acknowledged write is there, nothing half-written is visible, and
// the audit chain and the publication log still verify. It has no code
// outside its tests.
package crashtest
