// SPDX-License-Identifier: GPL-3.0-or-later
// The birational map from Edwards25519 to Curve25519 (RFC 7748, section 4.1) on OpenSSL's big numbers.
#include "Fingerprint.h"

#include <QStringList>
#include <memory>
#include <openssl/bn.h>

namespace Natter::Core::Fingerprint {

namespace {

constexpr int KeySize = 32;

struct BignumFree
{
    void operator()(BIGNUM *number) const { BN_free(number); }
};
struct ContextFree
{
    void operator()(BN_CTX *context) const { BN_CTX_free(context); }
};
using Bignum = std::unique_ptr<BIGNUM, BignumFree>;
using Context = std::unique_ptr<BN_CTX, ContextFree>;

Bignum number(BN_ULONG value = 0)
{
    Bignum created(BN_new());
    if (created && !BN_set_word(created.get(), value))
        created.reset();
    return created;
}

// p = 2^255 - 19
Bignum fieldPrime()
{
    Bignum p = number();
    if (!p || !BN_set_bit(p.get(), 255) || !BN_sub_word(p.get(), 19))
        return {};
    return p;
}

// Whether an Edwards point with this y exists with the x sign bit given: x² = (y² - 1) / (d·y² + 1) must
// be a square (Euler's criterion), and x = 0 must not come with the sign bit set (RFC 8032, 5.1.3).
bool hasPoint(const BIGNUM *y, bool xSign, const BIGNUM *p, BN_CTX *context)
{
    // d = -121665 / 121666
    Bignum d = number(121665);
    Bignum denominatorOfD = number(121666);
    Bignum ySquared = number();
    Bignum numerator = number();
    Bignum denominator = number();
    Bignum xSquared = number();
    Bignum exponent = number();
    Bignum legendre = number();
    if (!d || !denominatorOfD || !ySquared || !numerator || !denominator || !xSquared || !exponent ||
        !legendre)
        return false;
    BN_set_negative(d.get(), 1);
    if (!BN_mod_inverse(denominatorOfD.get(), denominatorOfD.get(), p, context) ||
        !BN_mod_mul(d.get(), d.get(), denominatorOfD.get(), p, context) ||
        !BN_mod_sqr(ySquared.get(), y, p, context) ||
        !BN_mod_sub(numerator.get(), ySquared.get(), BN_value_one(), p, context) ||
        !BN_mod_mul(denominator.get(), d.get(), ySquared.get(), p, context) ||
        !BN_mod_add(denominator.get(), denominator.get(), BN_value_one(), p, context) ||
        !BN_mod_inverse(denominator.get(), denominator.get(), p, context) ||
        !BN_mod_mul(xSquared.get(), numerator.get(), denominator.get(), p, context))
        return false;
    if (BN_is_zero(xSquared.get()))
        return !xSign;
    // (p - 1) / 2
    if (!BN_sub(exponent.get(), p, BN_value_one()) || !BN_rshift1(exponent.get(), exponent.get()) ||
        !BN_mod_exp(legendre.get(), xSquared.get(), exponent.get(), p, context))
        return false;
    return BN_is_one(legendre.get());
}

bool isHexDigit(QChar c)
{
    return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

} // namespace

QByteArray curveFromEd25519(const QByteArray &ed25519Key)
{
    if (ed25519Key.size() != KeySize)
        return {};
    QByteArray yBytes = ed25519Key;
    const bool xSign = (uchar(yBytes[KeySize - 1]) & 0x80) != 0;
    yBytes[KeySize - 1] = char(uchar(yBytes[KeySize - 1]) & 0x7f);

    Context context(BN_CTX_new());
    Bignum p = fieldPrime();
    Bignum y(BN_lebin2bn(reinterpret_cast<const unsigned char *>(yBytes.constData()), KeySize, nullptr));
    Bignum onePlusY = number();
    Bignum oneMinusY = number();
    Bignum u = number();
    if (!context || !p || !y || !onePlusY || !oneMinusY || !u)
        return {};
    // A non-canonical y, and y = 1 (the neutral element: u would divide by zero).
    if (BN_cmp(y.get(), p.get()) >= 0 || BN_is_one(y.get()))
        return {};
    if (!hasPoint(y.get(), xSign, p.get(), context.get()))
        return {};
    // u = (1 + y) / (1 - y) mod p
    if (!BN_mod_add(onePlusY.get(), BN_value_one(), y.get(), p.get(), context.get()) ||
        !BN_mod_sub(oneMinusY.get(), BN_value_one(), y.get(), p.get(), context.get()) ||
        !BN_mod_inverse(oneMinusY.get(), oneMinusY.get(), p.get(), context.get()) ||
        !BN_mod_mul(u.get(), onePlusY.get(), oneMinusY.get(), p.get(), context.get()))
        return {};
    QByteArray curve(KeySize, '\0');
    if (BN_bn2lebinpad(u.get(), reinterpret_cast<unsigned char *>(curve.data()), KeySize) != KeySize)
        return {};
    return curve;
}

QString grouped(const QByteArray &curveKey)
{
    if (curveKey.size() != KeySize)
        return {};
    const QString hex = QString::fromLatin1(curveKey.toHex());
    QStringList groups;
    for (qsizetype i = 0; i < hex.size(); i += 8)
        groups.append(hex.mid(i, 8));
    return groups.join(u' ');
}

QByteArray parse(const QString &text)
{
    QByteArray hex;
    for (const QChar c : text) {
        if (c.isSpace() || c == u':' || c == u'-')
            continue;
        if (!isHexDigit(c))
            return {};
        hex.append(char(c.toLower().unicode()));
    }
    // The type byte libsignal puts before a Curve25519 key, which some clients show.
    if (hex.size() == 2 * KeySize + 2 && hex.startsWith("05"))
        hex.remove(0, 2);
    if (hex.size() != 2 * KeySize)
        return {};
    return QByteArray::fromHex(hex);
}

} // namespace Natter::Core::Fingerprint
