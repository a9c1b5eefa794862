package fake

// Email returns an e-mail address such as janedoe@smith.com.
func (f *Faker) Email() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gf.Email()
}
