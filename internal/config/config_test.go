package config_test

import (
	"flag"
	"io"
	"strings"
	"testing"

	"gongkai/internal/config"
)

func load(t *testing.T, args []string, env map[string]string) (config.Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	done := config.Register(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return done()
}

func TestLoadPrecedence(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want config.Config
	}{
		{name: "defaults give SQLite in ./data", want: config.Config{Addr: "127.0.0.1:8080", DataDir: "./data"}},
		{name: "environment fills what flags did not set", env: map[string]string{"GONGKAI_ADDR": ":9000", "GONGKAI_DATABASE_URL": "postgres://u@h/db", "GONGKAI_BASE_URL": "https://mzj.example.gov.cn/"},
			want: config.Config{Addr: ":9000", DataDir: "./data", DatabaseURL: "postgres://u@h/db", BaseURL: "https://mzj.example.gov.cn"}},
		{name: "a flag wins over its variable", args: []string{"--addr", "0.0.0.0:80", "--data", "/srv/gk"}, env: map[string]string{"GONGKAI_ADDR": ":9000", "GONGKAI_DATA": "/tmp/x"},
			want: config.Config{Addr: "0.0.0.0:80", DataDir: "/srv/gk"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := load(t, tt.args, tt.env)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if got.Addr != tt.want.Addr || got.DataDir != tt.want.DataDir || got.DatabaseURL != tt.want.DatabaseURL || got.BaseURL != tt.want.BaseURL {
				t.Errorf("load() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestValidateReportsAllProblems(t *testing.T) {
	_, err := load(t, []string{"--addr", "nope", "--database-url", "mysql://x", "--base-url", "ftp://x", "--log-format", "xml"}, nil)
	if err == nil {
		t.Fatal("no error for four bad settings")
	}
	for _, want := range []string{"--addr", "--database-url", "--base-url", "--log-format"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestStringMasksTheDatabasePassword(t *testing.T) {
	cfg, err := load(t, []string{"--database-url", "postgres://gongkai:s3cret@db:5432/gk"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := cfg.String(); strings.Contains(s, "s3cret") {
		t.Errorf("String() = %q leaks the password", s)
	}
}
