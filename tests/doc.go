// Package tests holds the project-wide checks that look at the whole tree:
// the layering rule of ../shared/ARCHITECTURE.md §2 (which package may import
// what) and, in subpackages, end-to-end and conformance scenarios.
package tests
