"""ReceiptCreateRequest and every shape inside it, from the receipts page
(../shared/reference/smartbills-receipts.txt): its table for the top level (kinds and the
eleven required fields), its example for the fields and kinds at every depth.

Kinds follow the example: `0` where the type is a long (ids, months, sizes) is an integer,
`0` where it is a decimal (quantities, percentages, plain amounts) is any number, `{amount,
currency}` is SBMoney. Where the example shows an enum name, the names are those of the
official .NET SDK's enum written as the example writes them (SCREAMING_SNAKE, and the API's
own spelling APPROUVED). Nothing here forbids a negative amount: a refund is a receipt with
negative amounts.
"""

from __future__ import annotations

from pos_app.sandbox.reference.common import (
    BILLING_ADDRESS,
    IMAGE,
    PLACE_ADDRESS,
    PLACE_BILLING_ADDRESS,
    SB_MONEY,
)
from pos_app.sandbox.reference.kinds import (
    BOOLEAN,
    CURRENCY,
    DATETIME,
    LONG,
    NUMBER,
    STRING,
    ListOf,
    MapOf,
    OneOf,
    Required,
    Shape,
)
from pos_app.sandbox.reference.locations import RECEIPT_LOCATION

# -- enums (example value first)

RECEIPT_TYPE = OneOf(("OFFICIAL", "OCR", "EMAIL"))
PAYMENT_TYPE = OneOf(("CARD", "CASH", "BANK_ACCOUNT", "EXTERNAL", "CREDITS", "GIFT_CARD"))
PAYMENT_STATUS = OneOf(("APPROUVED", "PENDING", "COMPLETED", "CANCELLED", "FAILED"))
DISCOUNT_TYPE = OneOf(("PERCENTAGE", "AMOUNT"))
CARD_ENTRY_METHOD = OneOf(("MANUAL", "SWIPED", "EMV", "ON_FILE", "CONTACTLESS"))
CVV_RESULT = OneOf(("CVV_MATCHED", "CVV_NOT_MATCHED", "CVV_NOT_CHECKED"))
AVS_RESULT = OneOf(
    (
        "POSTAL_CODE_ADDRESS_MATCHED",
        "POSTAL_CODE_MATCHED_ADDRESS_NOT_CHECKED",
        "POSTAL_CODE_MATCHED_ADDRESS_NOT_MATCHED",
        "ADDRESS_MATCHED_POSTAL_CODE_NOT_CHECKED",
        "POSTAL_CODE_ADDRESS_NOT_CHECKED",
        "ADDRESS_MATCHED_POSTAL_CODE_NOT_MATCHED",
        "POSTAL_CODE_NOT_CHECKED_ADDRESS_NOT_MATCHED",
        "POSTAL_CODE_ADDRESS_NOT_SUPPLIED",
        "ADDRESS_NOT_CHECKED_POSTAL_CODE_NOT_MATCHED",
        "POSTAL_CODE_ADDRESS_NOT_MATCHED",
    )
)
FINGERPRINT_PROVIDER = OneOf(("STRIPE", "SQUARE"))
EXTERNAL_TYPE = OneOf(
    (
        "CHECK",
        "BANK_TRANSFER",
        "OTHER_GIFT_CARD",
        "CRYPTO",
        "SQUARE_CASH",
        "SOCIAL",
        "EXTERNAL",
        "E_MONEY",
        "CARD",
        "STORED_BALANCE",
        "FOOD_VOUCHER",
        "OTHER",
    )
)
RISK_LEVEL = OneOf(("NORMAL", "ELEVATED", "HIGH"))
BARCODE_TYPE = OneOf(
    (
        "AZTEC",
        "CODABAR",
        "CODE_39",
        "CODE_93",
        "CODE_128",
        "DATA_MATRIX",
        "EAN_8",
        "EAN_13",
        "ITF",
        "MAXICODE",
        "PDF_417",
        "QR_CODE",
        "RSS_14",
        "RSS_EXPANDED",
        "UPC_A",
        "UPC_E",
        "UPC_EAN_EXTENSION",
        "MSI",
        "PLESSEY",
        "IMB",
        "PHARMA_CODE",
    )
)

# -- the inline customer (not the customers page's CustomerCreateRequest: see customers.py)

RECEIPT_CUSTOMER = Shape(
    "CustomerCreateRequest",
    {
        "firstName": STRING,
        "lastName": STRING,
        "email": STRING,
        "companyName": STRING,
        "address": PLACE_ADDRESS,
        "billingAddress": BILLING_ADDRESS,
        "shippingAddress": BILLING_ADDRESS,
        "isTaxExempt": BOOLEAN,
        "tags": ListOf(STRING),
        "currency": CURRENCY,
        "acceptsMarketing": BOOLEAN,
        "phoneNumber": STRING,
        "nickname": STRING,
        "note": STRING,
        "locale": STRING,
        "accountNumber": STRING,
        "customerNumber": STRING,
        "birthDate": DATETIME,
        "metadata": MapOf(STRING),
    },
)

# -- items

ITEM_TAX = Shape(
    "ReceiptItemTaxCreateRequest",
    {"taxId": LONG, "name": STRING, "amount": NUMBER, "percentage": NUMBER},
)

ITEM_DISCOUNT = Shape(
    "ReceiptItemDiscountCreateRequest",
    {
        "promoCodeId": LONG,
        "amount": SB_MONEY,
        "percentage": NUMBER,
        "type": DISCOUNT_TYPE,
        "name": STRING,
    },
)

ITEM = Shape(
    "ReceiptItemCreateRequest",
    {
        "productId": LONG,
        "price": SB_MONEY,
        "description": MapOf(STRING),  # locale -> text
        "variantId": LONG,
        "quantity": NUMBER,
        "subTotal": SB_MONEY,
        "totalDiscounts": SB_MONEY,
        "totalDuties": SB_MONEY,
        "total": SB_MONEY,
        "totalTaxes": SB_MONEY,
        "taxes": ListOf(ITEM_TAX),
        "discounts": ListOf(ITEM_DISCOUNT),
        "taxable": BOOLEAN,
    },
)

# -- receipt-level fees, discounts, taxes (plain numbers where the example has them)

FEE = Shape(
    "ReceiptFeeCreateRequest",
    {"feeId": LONG, "amount": NUMBER, "rate": NUMBER, "total": NUMBER, "type": STRING},
)

RECEIPT_DISCOUNT = Shape(
    "ReceiptDiscountCreateRequest",
    {
        "promoCodeId": LONG,
        "receiptId": LONG,
        "amount": NUMBER,
        "name": STRING,
        "percentage": NUMBER,
    },
)

RECEIPT_TAX = Shape(
    "ReceiptTaxCreateRequest",
    {
        "name": STRING,
        "percentage": NUMBER,
        "total": SB_MONEY,
        "taxIdentificationNumber": STRING,
    },
)

# -- metadata

BROWSER_METADATA = Shape(
    "BrowserMetadata",
    {
        "acceptLanguage": STRING,
        "browserHeight": LONG,
        "browserIp": STRING,
        "browserWidth": LONG,
        "sessionHash": STRING,
        "userAgent": STRING,
    },
)

RECEIPT_METADATA = Shape(
    "ReceiptMetadataCreateRequest",
    {
        "landingSite": STRING,
        "customerLocale": STRING,
        "refferingSite": STRING,  # the API's spelling
        "sourcePOS": STRING,
        "sourceName": STRING,
        "tags": STRING,
        "url": STRING,
        "browserMetadata": BROWSER_METADATA,
    },
)

# -- payments

CARD_FINGERPRINT = Shape(
    "CardFingerprint", {"fingerprint": STRING, "provider": FINGERPRINT_PROVIDER}
)

CARD_PAYMENT_METHOD = Shape(
    "ReceiptPaymentMethodCardCreateRequest",
    {
        "cardholderName": STRING,
        "cardholderFirstName": STRING,
        "cardholderLastName": STRING,
        "country": STRING,
        "brand": STRING,
        "coBrand": STRING,
        "expirationMonth": LONG,
        "expirationYear": LONG,
        "last4": STRING,
        "dynamicLast4": STRING,
        "bin": STRING,
        "fingerprint": CARD_FINGERPRINT,
    },
)

CARD_EMV = Shape(
    "CardEmv",
    {
        "applicationId": STRING,
        "applicationName": STRING,
        "applicationCryptogram": STRING,
        "cardholderVerificationMethod": STRING,
        "cardholderVerificationResult": STRING,
    },
)

CARD_TIMELINE = Shape(
    "CardTimeline", {"authorizedAt": DATETIME, "capturedAt": DATETIME, "voidedAt": DATETIME}
)

CARD = Shape(
    "ReceiptPaymentCardCreateRequest",
    {
        "authorizationCode": STRING,
        "statementDescriptor": STRING,
        "paymentMethod": CARD_PAYMENT_METHOD,
        "method": CARD_ENTRY_METHOD,
        "emv": CARD_EMV,
        "cvv": CVV_RESULT,
        "avs": AVS_RESULT,
        "timeline": CARD_TIMELINE,
    },
)

CASH = Shape("ReceiptPaymentCashCreateRequest", {"supplied": SB_MONEY, "change": SB_MONEY})

BANK_ACCOUNT = Shape(
    "BankAccount",
    {
        "bankName": STRING,
        "accountNumber": STRING,
        "routingNumber": STRING,
        "accountType": STRING,
        "fingerprint": STRING,
        "statementDescriptor": STRING,
        "countryCode": STRING,
    },
)

EXTERNAL_FEE = Shape("ExternalFee", {"id": LONG, "currency": CURRENCY, "amount": NUMBER})

EXTERNAL = Shape(
    "ExternalPayment",
    {"source": STRING, "sourceId": STRING, "fee": EXTERNAL_FEE, "type": EXTERNAL_TYPE},
)

RISK_EVALUATION = Shape("RiskEvaluation", {"riskLevel": RISK_LEVEL, "riskScore": LONG})

# The example shows `"refunds": []`; the SDK's refund request has no field at all.
PAYMENT_REFUND = Shape("ReceiptPaymentRefundCreateRequest", {})

PAYMENT = Shape(
    "ReceiptPaymentCreateRequest",
    {
        "receiptId": LONG,
        "statementDescriptor": STRING,
        "card": CARD,
        "cash": CASH,
        "bankAccount": BANK_ACCOUNT,
        "external": EXTERNAL,
        "billingAddress": PLACE_BILLING_ADDRESS,
        "shippingAddress": PLACE_BILLING_ADDRESS,
        "type": PAYMENT_TYPE,
        "amount": SB_MONEY,
        "tip": SB_MONEY,
        "applicationFee": SB_MONEY,
        "total": SB_MONEY,
        "approuved": SB_MONEY,
        "refunded": SB_MONEY,
        "status": PAYMENT_STATUS,
        "receiptNumber": STRING,
        "receiptUrl": STRING,
        "note": STRING,
        "riskEvaluation": RISK_EVALUATION,
        "refunds": ListOf(PAYMENT_REFUND),
    },
)

# -- the rest of the receipt

BARCODE = Shape("BarcodeCreateRequest", {"type": BARCODE_TYPE, "value": STRING})

REVIEW = Shape("ReceiptReviewCreateRequest", {"rating": LONG, "review": STRING})

# The table, row for row (`location` and `weightUnit` are in the table; the example omits the
# second). Required: taxesIncluded, type and the nine SBMoney totals.
RECEIPT_CREATE = Shape(
    "ReceiptCreateRequest",
    {
        "merchantId": LONG,
        "locationId": LONG,
        "location": RECEIPT_LOCATION,
        "customer": RECEIPT_CUSTOMER,
        "customerId": LONG,
        "receiptId": STRING,
        "employeeId": LONG,
        "billingAddress": BILLING_ADDRESS,
        "shippingAddress": BILLING_ADDRESS,
        "items": ListOf(ITEM),
        "fees": ListOf(FEE),
        "currency": CURRENCY,
        "date": DATETIME,
        "dueDate": DATETIME,
        "cancelledAt": DATETIME,
        "cancelReason": STRING,
        "orderNumber": STRING,
        "paymentStatus": STRING,
        "discounts": ListOf(RECEIPT_DISCOUNT),
        "taxes": ListOf(RECEIPT_TAX),
        "taxesIncluded": Required(BOOLEAN),
        "totalDiscounts": Required(SB_MONEY),
        "totalFees": Required(SB_MONEY),
        "subTotal": Required(SB_MONEY),
        "totalTip": Required(SB_MONEY),
        "totalDuties": Required(SB_MONEY),
        "totalShipping": Required(SB_MONEY),
        "totalTaxes": Required(SB_MONEY),
        "total": Required(SB_MONEY),
        "totalWeight": NUMBER,
        "weightUnit": STRING,
        "source": STRING,
        "type": Required(RECEIPT_TYPE),
        "receiptMetadata": RECEIPT_METADATA,
        "payments": ListOf(PAYMENT),
        "barcode": BARCODE,
        "originalReceiptUrl": STRING,
        "review": REVIEW,
        "signature": IMAGE,
        "billingPeriodStartDate": DATETIME,
        "billingPeriodEndDate": DATETIME,
        "totalPayments": Required(SB_MONEY),
    },
)
