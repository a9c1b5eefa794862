// Package format validates the input formats a workflow can declare, and reports
// every problem as an *Error that speaks Simplified Chinese (the default) or English.
//
// The formats:
//
//   - cn-id-card: a resident ID number (GB 11643-1999). 18 characters: a 6-digit
//     GB/T 2260 area code, the birth date as YYYYMMDD, a 3-digit sequence whose last
//     digit is odd for men and even for women, and a check character computed with
//     weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 as "10X98765432"[Σ mod 11]. The
//     legacy 15-digit form (area, YYMMDD in the 1900s, sequence, no check character)
//     is still accepted.
//   - cn-mobile: a mainland mobile number, 11 digits matching ^1[3-9]\d{9}$ whose
//     3-digit prefix has been allocated to a carrier.
//   - bank-card: a bank card number, 16 to 19 digits with a Luhn check digit.
//   - cn-uscc: a unified social credit code (GB 32100-2015), 18 characters from
//     0-9A-HJ-NPQRTUWXY whose last character is a check character computed with
//     weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.
//   - date: a calendar date written YYYY-MM-DD.
//   - email: a bare e-mail address such as zhang.wei@example.com.
//
// Area codes are checked against an embedded table of GB/T 2260 codes: the province
// must exist; the rest of the code is only used to name the area, because cards
// issued under codes since abolished (for example 110103, the former Chongwen
// district of Beijing) remain valid and the table is not exhaustive.
package format
