// The demo dataset generator: see seed_data.h for what each function derives and why.
#include "server/seed_data.h"

#include <QChar>

#include <algorithm>
#include <array>
#include <cmath>

using namespace Qt::Literals::StringLiterals;

namespace outpost::server::seed {

namespace {

// The peer's word lists, in its order (dataset.js).
const QStringList kAdj = {u"Organic"_s,    u"Premium"_s,      u"Classic"_s, u"Value"_s,       u"Fresh"_s,
                          u"Extra Fine"_s, u"Natural"_s,      u"Select"_s,  u"Traditional"_s, u"Gourmet"_s,
                          u"Everyday"_s,   u"Professional"_s, u"Chef's"_s,  u"Farmhouse"_s,   u"Imported"_s};
const QStringList kNoun = {u"Tomatoes"_s,     u"Olive Oil"_s,     u"Basmati Rice"_s, u"Penne"_s,
                           u"Cheddar"_s,      u"Coffee Beans"_s,  u"Green Tea"_s,    u"Dish Soap"_s,
                           u"Paper Towels"_s, u"Napkins"_s,       u"Sugar"_s,        u"Flour"_s,
                           u"Butter"_s,       u"Yoghurt"_s,       u"Orange Juice"_s, u"Sparkling Water"_s,
                           u"Crisps"_s,       u"Chocolate Bar"_s, u"Mayonnaise"_s,   u"Ketchup"_s,
                           u"Black Pepper"_s, u"Sea Salt"_s,      u"Tuna Chunks"_s,  u"Chickpeas"_s,
                           u"Oat Flakes"_s,   u"Cola"_s,          u"Lager"_s,        u"Red Wine"_s,
                           u"Bin Bags"_s,     u"Foil Trays"_s};
const QStringList kPack = {u"6 x 1L"_s,    u"12 x 400g"_s, u"24 x 330ml"_s, u"1 x 5kg"_s,   u"10 x 1kg"_s,
                           u"4 x 2.5kg"_s, u"48 x 50g"_s,  u"1 x 20L"_s,    u"6 x 750ml"_s, u"100 pcs"_s};
const QStringList kUnits = {u"EA"_s, u"CS"_s, u"KG"_s, u"BX"_s, u"PK"_s, u"L"_s, u"CT"_s};
const QStringList kDescA = {u"Sourced from certified growers"_s,
                            u"Packed for catering and retail"_s,
                            u"Long shelf life"_s,
                            u"Suitable for vegetarians"_s,
                            u"Resealable packaging"_s,
                            u"Bulk pack for professional kitchens"_s,
                            u"Consistent quality batch to batch"_s,
                            u"Store in a cool dry place"_s};
const QStringList kDescB = {u"ideal for restaurants, cafes and hotels."_s,
                            u"delivered on standard pallets."_s,
                            u"minimum order one case."_s,
                            u"best before 18 months from packing."_s,
                            u"recyclable outer carton."_s,
                            u"allergen information on label."_s};
const QStringList kStreets = {u"High Street"_s,   u"Station Road"_s, u"Church Lane"_s,       u"Mill Road"_s,
                              u"Market Square"_s, u"Park Avenue"_s,  u"Industrial Estate"_s, u"Harbour Way"_s,
                              u"Victoria Road"_s, u"Kings Parade"_s};
const QStringList kCities = {u"Leeds"_s,   u"Bristol"_s, u"Manchester"_s, u"Glasgow"_s,  u"Cardiff"_s,
                             u"Norwich"_s, u"York"_s,    u"Exeter"_s,     u"Brighton"_s, u"Aberdeen"_s};
const QStringList kCityPc = {u"LS"_s, u"BS"_s, u"M"_s,  u"G"_s,  u"CF"_s,
                             u"NR"_s, u"YO"_s, u"EX"_s, u"BN"_s, u"AB"_s};
const QStringList kBizA = {u"Golden"_s,    u"Blue"_s,  u"Harbour"_s, u"Corner"_s,  u"Old Town"_s,
                           u"Riverside"_s, u"Green"_s, u"Royal"_s,   u"Village"_s, u"Northern"_s};
const QStringList kBizB = {u"Cafe"_s,    u"Bistro"_s,       u"Deli"_s,   u"Hotel"_s, u"Grocers"_s,
                           u"Kitchen"_s, u"Catering Ltd"_s, u"Stores"_s, u"Inn"_s,   u"Canteen"_s};
const QStringList kTerms = {u"NET7"_s,  u"NET14"_s, u"NET30"_s, u"NET30"_s,
                            u"NET30"_s, u"NET60"_s, u"EOM"_s,   u"COD"_s};
const QStringList kFirstNames = {u"Alex"_s,  u"Sam"_s,  u"Priya"_s, u"Tom"_s, u"Grace"_s,  u"Omar"_s,
                                 u"Chloe"_s, u"Liam"_s, u"Aisha"_s, u"Ben"_s, u"Hannah"_s, u"Jakub"_s};
const QStringList kLastNames = {u"Smith"_s, u"Patel"_s,  u"Jones"_s, u"Nowak"_s,  u"Brown"_s,
                                u"Khan"_s,  u"Wilson"_s, u"Evans"_s, u"Murphy"_s, u"Taylor"_s};

// arr[Math.floor(r() * arr.length)]
int pickIndex(Mulberry32 &r, qsizetype length)
{
    return static_cast<int>(std::floor(r() * static_cast<double>(length)));
}
const QString &pick(Mulberry32 &r, const QStringList &list)
{
    return list.at(pickIndex(r, list.size()));
}

QString padded(qint64 n, int width)
{
    return QString::number(n).rightJustified(width, u'0');
}

} // namespace

double Mulberry32::next()
{
    m_a += 0x6D2B79F5u;
    std::uint32_t t = m_a;
    t = (t ^ (t >> 15)) * (t | 1u);
    t ^= t + (t ^ (t >> 7)) * (t | 61u);
    return static_cast<double>(t ^ (t >> 14)) / 4294967296.0;
}

double jsRound(double x)
{
    const double f = std::floor(x);
    return (x - f >= 0.5) ? f + 1.0 : f;
}

int SizeSpec::groups() const
{
    return std::max(1, static_cast<int>(jsRound(static_cast<double>(prices) / products)));
}

std::optional<SizeSpec> sizeSpec(const QString &name)
{
    if (name == u"tiny"_s)
        return SizeSpec{name, 200, 20, 2000, 3};
    if (name == u"small"_s)
        return SizeSpec{name, 10000, 1000, 100000, 5};
    if (name == u"medium"_s)
        return SizeSpec{name, 30000, 3000, 300000, 10};
    if (name == u"large"_s)
        return SizeSpec{name, 100000, 10000, 1000000, 20};
    return std::nullopt;
}

QString skuOf(int i)
{
    return u"SKU-"_s + padded(i + 1, 7);
}
QString accountNoOf(int i)
{
    return u"ACC-"_s + padded(i + 1, 6);
}
QString groupOf(int g)
{
    return u"G"_s + padded(g + 1, 2);
}

PeerProduct peerProduct(int i)
{
    Mulberry32 r(static_cast<std::uint32_t>(1000003 + i));
    PeerProduct p;
    p.sku = skuOf(i);
    const QString &adj = pick(r, kAdj);
    const QString &noun = pick(r, kNoun);
    const QString &pack = pick(r, kPack);
    p.name = adj + u' ' + noun + u' ' + pack;
    const QString &a = pick(r, kDescA);
    const QString &b = pick(r, kDescB);
    QString description = a + u"; "_s + b + u' ' + p.name + u'.';
    // > 80: cut (no trim); otherwise padEnd(80).trimEnd() == the text without trailing spaces.
    if (description.size() > 80) {
        description.truncate(80);
    } else {
        while (description.endsWith(u' '))
            description.chop(1);
    }
    p.description = description;
    p.category = pick(r, categoryNames());
    p.unit = pick(r, kUnits);
    p.packSize = 1 + static_cast<int>(std::floor(r() * 48));
    const double minor = jsRound((0.5 + r() * 199.5) * 100);
    p.listPriceMinor = static_cast<qint64>(minor);
    p.listPrice = minor / 100;
    return p;
}

PeerAccount peerAccount(int i, int groups)
{
    Mulberry32 r(static_cast<std::uint32_t>(2000003 + i));
    PeerAccount a;
    const int city = pickIndex(r, kCities.size());
    a.accountNo = accountNoOf(i);
    const QString &bizA = pick(r, kBizA);
    const QString &bizB = pick(r, kBizB);
    a.name = bizA + u' ' + bizB + u' ' + QString::number(i + 1);
    const int number = 1 + static_cast<int>(std::floor(r() * 250));
    a.line1 = QString::number(number) + u' ' + pick(r, kStreets);
    a.city = kCities.at(city);
    const int district = 1 + static_cast<int>(std::floor(r() * 20));
    const int sector = static_cast<int>(std::floor(r() * 9));
    const QChar unit1(65 + static_cast<int>(std::floor(r() * 26)));
    const QChar unit2(65 + static_cast<int>(std::floor(r() * 26)));
    a.postcode =
        kCityPc.at(city) + QString::number(district) + u' ' + QString::number(sector) + unit1 + unit2;
    a.country = u"GB"_s;
    a.terms = pick(r, kTerms);
    a.creditLimit = 1000 * (1 + static_cast<qint64>(std::floor(r() * 50)));
    a.priceGroup = groupOf(i % groups);
    return a;
}

qint64 peerPriceMinor(int g, int i, double listPrice)
{
    Mulberry32 r(static_cast<std::uint32_t>(3000017 + g * 7919 + i * 31));
    const double discount = 0.70 + 0.03 * g + r() * 0.05;
    return static_cast<qint64>(jsRound(listPrice * discount * 100));
}

const QStringList &categoryNames()
{
    static const QStringList names = {u"Beverages"_s,    u"Dairy"_s,
                                      u"Bakery"_s,       u"Frozen"_s,
                                      u"Canned Goods"_s, u"Dry Goods"_s,
                                      u"Snacks"_s,       u"Confectionery"_s,
                                      u"Produce"_s,      u"Meat"_s,
                                      u"Seafood"_s,      u"Cleaning"_s,
                                      u"Paper Goods"_s,  u"Disposables"_s,
                                      u"Spices"_s,       u"Oils & Vinegars"_s,
                                      u"Sauces"_s,       u"Pasta & Rice"_s,
                                      u"Breakfast"_s,    u"Health & Beauty"_s,
                                      u"Pet Supplies"_s, u"Household"_s,
                                      u"Baby Care"_s,    u"Stationery"_s,
                                      u"Hardware"_s,     u"Catering Equipment"_s,
                                      u"Tobacco"_s,      u"Wine"_s,
                                      u"Beer"_s,         u"Spirits"_s};
    return names;
}

QString categoryCode(const QString &name)
{
    QString code;
    bool dash = false;
    for (const QChar c : name) {
        if (c.isLetterOrNumber()) {
            if (dash && !code.isEmpty())
                code += u'-';
            code += c.toUpper();
            dash = false;
        } else {
            dash = true;
        }
    }
    return code;
}

QString taxClassForCategory(const QString &categoryName)
{
    // UK-like: most food zero-rated; sanitary and children's goods reduced; the rest standard.
    static const QStringList zero = {u"Dairy"_s,     u"Bakery"_s,          u"Frozen"_s, u"Canned Goods"_s,
                                     u"Dry Goods"_s, u"Produce"_s,         u"Meat"_s,   u"Seafood"_s,
                                     u"Spices"_s,    u"Oils & Vinegars"_s, u"Sauces"_s, u"Pasta & Rice"_s,
                                     u"Breakfast"_s};
    static const QStringList reduced = {u"Baby Care"_s, u"Health & Beauty"_s};
    if (zero.contains(categoryName))
        return u"ZERO"_s;
    if (reduced.contains(categoryName))
        return u"RED"_s;
    return u"STD"_s;
}

int ean13CheckDigit(const QString &first12)
{
    int sum = 0;
    for (int k = 0; k < 12; ++k)
        sum += first12.at(k).digitValue() * ((k % 2 == 0) ? 1 : 3);
    return (10 - sum % 10) % 10;
}

QString ean13(const QString &prefix2, qint64 number)
{
    const QString first12 = prefix2 + padded(number, 10);
    return first12 + QString::number(ean13CheckDigit(first12));
}

bool isValidEan13(const QString &code)
{
    if (code.size() != 13)
        return false;
    for (const QChar c : code) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return ean13CheckDigit(code.left(12)) == code.at(12).digitValue();
}

ProductExtras productExtras(int i, const QString &unit)
{
    static constexpr std::array<qint64, 4> kEachPacks{1, 6, 12, 24};
    ProductExtras e;
    const bool each = unit == u"EA"_s;
    e.casePack = each ? kEachPacks[static_cast<std::size_t>(i % 4)] : 1;
    if (i % 10 == 7)
        e.moq = each ? 2 * e.casePack : 5;
    e.discontinued = i % 97 == 13;
    e.backorderAllowed = i % 3 == 0;
    return e;
}

StockValues stockFor(int warehouseIndex, int i)
{
    Mulberry32 r(static_cast<std::uint32_t>(4000037 + warehouseIndex * 100003 + i));
    StockValues s;
    if (i % 17 == 0)
        s.onHand = 0;
    else if (i % 17 == 1)
        s.onHand = 1 + static_cast<qint64>(std::floor(r() * 5));
    else
        s.onHand = 20 + static_cast<qint64>(std::floor(r() * 1981));
    if (i % 23 == 0)
        s.allocated = s.onHand;
    else
        s.allocated = static_cast<qint64>(std::floor(static_cast<double>(s.onHand) * r() * 0.3));
    return s;
}

AccountExtras accountExtras(int i, qint64 creditLimitMinor)
{
    Mulberry32 r(static_cast<std::uint32_t>(5000011 + i));
    AccountExtras e;
    qint64 percent = static_cast<qint64>(std::floor(r() * 61)); // 0..60 % of the limit
    if (i % 25 == 5)
        percent = 95;
    else if (i % 25 == 6)
        percent = 110;
    e.openBalanceMinor = creditLimitMinor * percent / 100;
    e.taxExempt = i % 50 == 9;
    e.onHold = i == 7;
    e.warehouseIndex = i % 2;
    return e;
}

ContactValues contactFor(int accountIndex, int k, const QString &accountNo)
{
    Mulberry32 r(static_cast<std::uint32_t>(6000007 + accountIndex * 2 + k));
    ContactValues c;
    c.name = pick(r, kFirstNames) + u' ' + pick(r, kLastNames);
    c.role = k == 0 ? u"Buyer"_s : u"Accounts"_s;
    c.phone = u"+44 1632 "_s + padded((accountIndex * 2 + k) % 1000000, 6);
    c.email = (k == 0 ? u"orders@"_s : u"accounts@"_s) + accountNo.toLower() + u".example"_s;
    return c;
}

} // namespace outpost::server::seed
