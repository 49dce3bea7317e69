package config_test

import (
	"strings"
	"testing"
)

func TestOperationsSettings(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string // substring of the error; "" for none
		check   func(t *testing.T, tls bool, keep int, contact string)
	}{
		{name: "defaults: no TLS, keep seven backups", check: func(t *testing.T, tls bool, keep int, contact string) {
			if tls || keep != 7 || contact != "" {
				t.Errorf("tls=%v keep=%d contact=%q, want false 7 \"\"", tls, keep, contact)
			}
		}},
		{name: "both certificate files turn TLS on", env: map[string]string{"GONGKAI_TLS_CERT": "/c.pem", "GONGKAI_TLS_KEY": "/k.pem"},
			check: func(t *testing.T, tls bool, _ int, _ string) {
				if !tls {
					t.Error("TLS() = false with both files")
				}
			}},
		{name: "a certificate without its key is refused", args: []string{"--tls-cert", "/c.pem"}, wantErr: "--tls-cert and --tls-key"},
		{name: "security contact must be a URI", args: []string{"--security-contact", "security@example.cn"}, wantErr: "--security-contact"},
		{name: "security contact as mailto", args: []string{"--security-contact", "mailto:security@example.cn"},
			check: func(t *testing.T, _ bool, _ int, contact string) {
				if contact != "mailto:security@example.cn" {
					t.Errorf("contact = %q", contact)
				}
			}},
		{name: "backup retention below one is refused", args: []string{"--backup-keep", "0"}, wantErr: "--backup-keep"},
		{name: "backup retention from the environment", env: map[string]string{"GONGKAI_BACKUP_KEEP": "30"},
			check: func(t *testing.T, _ bool, keep int, _ string) {
				if keep != 30 {
					t.Errorf("keep = %d, want 30", keep)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := load(t, tt.args, tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("load() error = %v, want one mentioning %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			tt.check(t, cfg.TLS(), cfg.BackupKeep, cfg.SecurityContact)
		})
	}
}

func TestSearchRateSetting(t *testing.T) {
	tests := []struct {
		args    []string
		rate    float64
		off     bool
		wantErr bool
	}{
		{nil, 1, false, false},
		{[]string{"--search-rate", "5"}, 5, false, false},
		{[]string{"--search-rate", "0.5"}, 0.5, false, false},
		{[]string{"--search-rate", "0"}, 0, true, false},
		{[]string{"--search-rate", "-1"}, 0, false, true},
		{[]string{"--search-rate", "fast"}, 0, false, true},
	}
	for _, tt := range tests {
		cfg, err := load(t, tt.args, nil)
		if tt.wantErr {
			if err == nil || !strings.Contains(err.Error(), "--search-rate") {
				t.Errorf("%v: error = %v, want one naming --search-rate", tt.args, err)
			}
			continue
		}
		if err != nil || cfg.SearchRate != tt.rate || cfg.NoSearchLimit != tt.off {
			t.Errorf("%v: rate %v off %v (%v), want %v %v", tt.args, cfg.SearchRate, cfg.NoSearchLimit, err, tt.rate, tt.off)
		}
	}
}

func TestTrustedProxiesSetting(t *testing.T) {
	cfg, err := load(t, []string{"--trusted-proxies", "127.0.0.1, 10.0.0.0/8"}, nil)
	if err != nil || len(cfg.TrustedProxies) != 2 || cfg.TrustedProxies[1] != "10.0.0.0/8" {
		t.Errorf("trusted proxies = %q, %v", cfg.TrustedProxies, err)
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example.cn"} {
		if _, err := load(t, []string{"--trusted-proxies", bad}, nil); err == nil || !strings.Contains(err.Error(), "--trusted-proxies") {
			t.Errorf("--trusted-proxies %s: error = %v", bad, err)
		}
	}
}
