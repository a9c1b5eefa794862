package store

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// SecretKeySize is the length of the key that encrypts secrets at rest (AES-256).
const SecretKeySize = 32

// ErrNoSecretKey means secrets cannot be read or written: no key was given.
var ErrNoSecretKey = errors.New("no secret key configured (set ZAOSHU_SECRET_KEY)")

// ParseSecretKey reads a base64-encoded 32-byte key.
func ParseSecretKey(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("secret key is not base64: %w (make one with: openssl rand -base64 32)", err)
	}
	if len(key) != SecretKeySize {
		return nil, fmt.Errorf("secret key is %d bytes, want %d (make one with: openssl rand -base64 32)", len(key), SecretKeySize)
	}
	return key, nil
}

// LoadOrCreateSecretKey reads the key kept in a file, making one on first
// use. It serves the all-in-one mode, where nothing is configured; in
// production the key comes from the environment instead.
func LoadOrCreateSecretKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return ParseSecretKey(string(b))
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read secret key: %w", err)
	}
	key := make([]byte, SecretKeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("generate secret key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("create directory for secret key: %w", err)
	}
	if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("write secret key: %w", err)
	}
	return key, nil
}

// seal encrypts with AES-GCM; the random nonce is stored before the ciphertext.
func seal(key, plain []byte) ([]byte, error) {
	if key == nil {
		return nil, ErrNoSecretKey
	}
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return gcm.Seal(nonce, nonce, plain, nil), nil
}

func open(key, sealed []byte) ([]byte, error) {
	if key == nil {
		return nil, ErrNoSecretKey
	}
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < gcm.NonceSize() {
		return nil, errors.New("sealed secret is too short")
	}
	plain, err := gcm.Open(nil, sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():], nil)
	if err != nil {
		return nil, fmt.Errorf("decrypt secrets (was ZAOSHU_SECRET_KEY changed?): %w", err)
	}
	return plain, nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
