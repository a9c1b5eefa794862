package uatsim

import (
	"fmt"
	"net/http"
	"time"
)

// Business codes answered in the "code" field of every envelope. The table with
// messages and HTTP statuses is in doc.go.
const (
	codeOK = "0"

	codeBadRequest       = "1001"
	codeUnauthorized     = "1002"
	codeBadCredentials   = "1003"
	codeNotFound         = "1004"
	codeIdempotencyReuse = "1409"
	codeClearing         = "1814"
	codeRedeploying      = "9503"
	codeGatewayTimeout   = "9504"
	codeSystemError      = "9999"

	codeIDFormat          = "2001"
	codeIDChecksum        = "2002"
	codeIDBirthDate       = "2003"
	codeUnderAge          = "2004"
	codeIncomeProof       = "2005"
	codeIDExpiry          = "2006"
	codeMobile            = "2007"
	codeDuplicateCustomer = "2008"
	codePoliceCheck       = "2009"
	codePhoto             = "2010"
	codeCustomerState     = "2011"
	codeRiskAnswers       = "2020"
	codeRiskMissing       = "2021"
	codeCapitalExists     = "2030"
	codeOneStopExists     = "2040"
	codeOneStopMissing    = "2041"
	codeStockAccountLimit = "2042"
	codeDesignated        = "2044"
	codePasswordFormat    = "2050"
	codePasswordSimple    = "2051"
	codePasswordPersonal  = "2052"
	codeIncomplete        = "2060"
	codeClosed            = "2070"
	codeDesignatedFirst   = "2071"
	codePositionsRemain   = "2072"
	codeBalanceRemains    = "2073"
	codeCustodyBound      = "2074"
	codeAccountsOpen      = "2075"
	codeAgreementsInForce = "2076"
	codeClosing           = "2077"

	codeBankUnknown      = "3001"
	codeBankCard         = "3002"
	codeCustodyExists    = "3003"
	codeCustodyMissing   = "3004"
	codeAuxiliaryLimit   = "3005"
	codeBankAlreadyBound = "3006"
	codeBankMaintenance  = "3007"
	codeTransferHours    = "3010"
	codeInsufficient     = "3011"
	codeFundsPassword    = "3012"
	codeFundsLocked      = "3013"
	codeCustodyBalance   = "3014"
	codeFundsInTransit   = "3015"
	codeAuxiliaryOpen    = "3016"
	codeCustodyCancelled = "3017"

	codeAgreementUnknown = "4001"
	codeAssets           = "4002"
	codeExperience       = "4003"
	codeRiskMismatch     = "4004"
	codeKnowledgeTest    = "4005"
	codeNoStockAccount   = "4006"
	codeAgreementSigned  = "4007"
	codeNotActive        = "4008"
	codeDisclosure       = "4009"
	codeProfessional     = "4010"
	codeOptionsPrereq    = "4011"
	codeAgreementEnded   = "4012"
	codeAgreementFiling  = "4013"
)

// apiError is a refusal: the HTTP status, the business code and the product's
// own message, with optional data (e.g. the failed eligibility checks).
type apiError struct {
	Status     int
	Code       string
	Message    string
	Data       any
	RetryAfter time.Duration // sent as Retry-After when the refusal is temporary
}

func fail(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func badRequest(format string, args ...any) *apiError {
	return fail(http.StatusBadRequest, codeBadRequest, "参数错误："+format, args...)
}

func notFound(format string, args ...any) *apiError {
	return fail(http.StatusNotFound, codeNotFound, format, args...)
}

func rejected(code, format string, args ...any) *apiError {
	return fail(http.StatusUnprocessableEntity, code, format, args...)
}

func conflict(code, format string, args ...any) *apiError {
	return fail(http.StatusConflict, code, format, args...)
}
