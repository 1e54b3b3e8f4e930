// Package pebbledb implements db.Database on cockroachdb/pebble, on disk or
// on pebble's in-memory file system.
//
// It lives apart from package db so that code which only needs the interface
// (or the in-memory backend) does not link pebble and its dependencies.
package pebbledb
