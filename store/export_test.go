package store

import "gorm.io/gorm"

// DB exposes the connection to tests that must look at stored rows directly.
func (s *Store) DB() *gorm.DB { return s.db }
