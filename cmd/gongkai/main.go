// Command gongkai runs a government body's information-disclosure website
// and the work behind it. See 'gongkai help'.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"gongkai/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
