// Package fake generates realistic Chinese test data — names, resident ID numbers,
// mobile numbers, bank cards, addresses, unified social credit codes — plus a few
// general generators from gofakeit, for workflow inputs such as
//
//	default: "${{ fake.cnIDCard({minAge: 25, gender: "F", region: "上海"}) }}"
//
// Every value it generates passes the matching validator in package format. A Faker
// is seeded: the same seed gives the same sequence of values, so a run that records
// its seed can reproduce the inputs it generated.
package fake
