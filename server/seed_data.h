// The demo dataset: a port of the PouchDB peer's generator (shared/bench/pouchdb/lib/dataset.js)
// plus deterministic wholesale extras. Pure functions, no I/O: seed.cpp writes what these return.
//
// Peer rows (byte-identical to what the peer replicates; same mulberry32 seeds, same order of
// r() calls):
//   product(i)   seed 1000003+i: sku SKU-%07d, name, description (80 chars), category, unit,
//                pack_size (1..48), list_price (minor units = round((0.5 + r*199.5) * 100))
//   account(i)   seed 2000003+i: ACC-%06d, name, address (line1, city, postcode, GB), terms,
//                credit_limit (major units, 1000..50000), price group G01.. round-robin
//   price(g, i)  seed 3000017+g*7919+i*31: round(list * (0.70 + 0.03g + r*0.05) * 100) minor
// Mapping onto the schema: unit -> products.uom, pack_size -> products.pack_label (its decimal
// text), price groups -> price_lists (code G01..G10), prices -> price_list_entries (min_qty 1,
// valid_from 2026-01-01), credit_limit -> accounts.credit_limit_minor (x 100).
//
// Extras (all derived from the row index, never from a clock or a random source):
//   categories   one per peer category name, code = categoryCode(name) ("OILS-VINEGARS")
//   tax classes  STD 20 % / RED 5 % / ZERO 0 % (acme: 19 % / 7 % / 0 %); taxClassForCategory()
//   barcode      EAN-13 "50" (demo) or "40" (acme) + 10-digit product number + check digit
//   case pack    CS/BX/PK/CT/KG/L sell in multiples of 1 (the unit is the pack); EA items cycle
//                1, 6, 12, 24 by index
//   moq          every 10th product (i % 10 == 7): EA -> 2 x case pack, other units -> 5
//   discontinued i % 97 == 13;  backorder allowed: i % 3 == 0
//   volume tiers on ~5 % of (list x product) entries ((g*products+i) % 20 == 7): min_qty 10 at
//                95 % and min_qty 50 at 90 % of the base entry
//   contract     accounts with i % 10 == 4 get 3 products at 85 % of list; for i % 20 == 4 the
//                second one has expired (2025), for i % 20 == 14 the third one starts in 2030
//   promotions   percent and amount ones on products 1..4 (two with min qty), one category-wide
//                (Beverages), one expired (2025), one future (2030)
//   warehouses   WH1 Leeds DC and WH2 Bristol DC (acme: MAIN); every product in every warehouse;
//                on_hand 0 for i % 17 == 0, low (1..5) for i % 17 == 1, else 20..2000;
//                allocated = on_hand for i % 23 == 0 (nothing available), else up to 30 %
//   accounts     open balance up to 60 % of the limit; i % 25 == 5 at 95 % (near the limit),
//                i % 25 == 6 at 110 % (over); tax exempt i % 50 == 9; ACC-000008 on hold;
//                default warehouse WH1/WH2 alternating; 2 contacts; billing + shipping address
//   users        rep1..repN (territories: account i -> rep (i % N) + 1), manager1, kiosk1, admin;
//                password "demo"; reps 10 % line / 5 % order discount, managers 30 % / 20 %
// Tenant "acme" (EUR): 50 products, 10 accounts, 2 price lists, users rep1, manager1, admin;
// its rows come from the same generator at index offset 900000, with SKU/ACC codes from 1.
#pragma once

#include "domain/result.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QtGlobal>

#include <cstdint>
#include <optional>

namespace outpost::server::seed {

// mulberry32 exactly as the peer (Math.imul, >>> 0): returns [0, 1).
class Mulberry32
{
public:
    explicit Mulberry32(std::uint32_t seed) : m_a(seed) {}
    double next();
    double operator()() { return next(); }

private:
    std::uint32_t m_a;
};

// JavaScript Math.round for finite doubles (round half towards +infinity).
double jsRound(double x);

struct SizeSpec
{
    QString name;
    int products = 0;
    int accounts = 0;
    int prices = 0;
    int reps = 0;
    int groups() const; // max(1, round(prices / products)), as the peer
};
// tiny (200/20/2000, 3 reps), small (10k/1k/100k, 5), medium (30k/3k/300k, 10),
// large (100k/10k/1M, 20).
std::optional<SizeSpec> sizeSpec(const QString &name);

struct PeerProduct
{
    QString sku;
    QString name;
    QString description;
    QString category;
    QString unit;
    int packSize = 0;
    qint64 listPriceMinor = 0;
    double listPrice = 0; // the peer's double, needed to derive its prices exactly
};

struct PeerAccount
{
    QString accountNo;
    QString name;
    QString line1;
    QString city;
    QString postcode;
    QString country;
    QString terms;
    qint64 creditLimit = 0; // major units, as the peer
    QString priceGroup;
};

QString skuOf(int i);       // SKU-0000001 for i = 0
QString accountNoOf(int i); // ACC-000001
QString groupOf(int g);     // G01
PeerProduct peerProduct(int i);
PeerAccount peerAccount(int i, int groups);
qint64 peerPriceMinor(int g, int i, double listPrice);

// The peer's category names, in its order.
const QStringList &categoryNames();
// "Oils & Vinegars" -> "OILS-VINEGARS" (upper case, runs of non-alphanumerics -> '-').
QString categoryCode(const QString &name);
// "STD", "RED" or "ZERO".
QString taxClassForCategory(const QString &categoryName);

// prefix (2 digits) + number (10 digits, zero padded) + EAN-13 check digit.
QString ean13(const QString &prefix2, qint64 number);
int ean13CheckDigit(const QString &first12);
bool isValidEan13(const QString &code);

struct ProductExtras
{
    qint64 casePack = 1;
    qint64 moq = 1;
    bool discontinued = false;
    bool backorderAllowed = false;
};
ProductExtras productExtras(int i, const QString &unit);

struct StockValues
{
    qint64 onHand = 0;
    qint64 allocated = 0;
};
StockValues stockFor(int warehouseIndex, int i);

struct AccountExtras
{
    qint64 openBalanceMinor = 0;
    bool taxExempt = false;
    bool onHold = false;
    int warehouseIndex = 0;
};
AccountExtras accountExtras(int i, qint64 creditLimitMinor);

struct ContactValues
{
    QString name;
    QString role;
    QString phone;
    QString email;
};
ContactValues contactFor(int accountIndex, int k, const QString &accountNo);

// The fixed timestamp every seeded row carries (the peer's updated_at).
inline constexpr const char *kSeedTimestamp = "2026-01-15T08:00:00.000Z";
inline constexpr const char *kPriceValidFrom = "2026-01-01";

} // namespace outpost::server::seed

class QTextStream;

namespace outpost::server {

class Database;

// Writes both tenants (size: tiny|small|medium|large), printing rows/s per table to out. Fails with
// "seed.already_seeded" when demo or acme exists, unless force (then both are replaced).
// stockAsOf: the stock levels' count time (invalid = the fixed kSeedTimestamp, so seeds compare equal).
Status seedDatabase(Database &db, const QString &size, bool force, QTextStream &out,
                    const QDateTime &stockAsOf = {});

} // namespace outpost::server
