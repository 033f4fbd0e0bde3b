// compose-check loads docker-compose files with compose-go, the loader Docker Compose itself uses,
// and fails with its error when a file is not a valid Compose project. With -profile it also
// reports the services that profile enables.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	profiles := flag.String("profiles", "", "comma-separated profiles to enable")
	flag.Parse()
	files := flag.Args()
	if len(files) == 0 {
		files = []string{"docker-compose.yml"}
	}
	opts := []cli.ProjectOptionsFn{cli.WithOsEnv, cli.WithDotEnv, cli.WithName("gazette")}
	if *profiles != "" {
		opts = append(opts, cli.WithProfiles(strings.Split(*profiles, ",")))
	}
	options, err := cli.NewProjectOptions(files, opts...)
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	names := project.ServiceNames()
	sort.Strings(names)
	fmt.Printf("valid: project %s, services %s\n", project.Name, strings.Join(names, " "))
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "invalid compose file: %v\n", err)
	os.Exit(1)
}
