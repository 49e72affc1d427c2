// Package walk is the directory source: Paths yields the files below the
// paths it is given (or standard input for "-") as scan items: inside a git
// work tree the files git would commit (as git itself lists them), outside
// one the files .gitignore patterns leave. It never follows symbolic links
// inside a walk and never opens a FIFO, socket or device it meets there.
//
// Every entry is either emitted as an item or as a skipped item with a
// reason. The package never prints or exits.
package walk
