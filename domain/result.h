// Errors are values. Every layer returns Result<T>; nothing throws across a layer boundary.
#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace outpost {

// What kind of failure this is decides what the caller does with it (STYLE.md):
// transient -> retry with backoff; offline -> banner; rejected/conflict -> an issue row the user acts
// on; corrupt -> blocking dialog; invalid -> fix the input.
enum class ErrorKind {
    Invalid,      // input is malformed or breaks a rule; retrying the same input fails again
    NotFound,
    Conflict,     // state on the other side disagrees (idempotency key reuse, version mismatch)
    Unauthorized, // no or expired credentials
    Forbidden,    // credentials fine, not entitled
    Rejected,     // a business rule said no
    Transient,    // network hiccup, timeout, 5xx, busy database: try again later
    Offline,      // no route to the server at all
    Corrupt,      // local data is damaged
    Internal,     // a bug
};

struct Error
{
    ErrorKind kind = ErrorKind::Internal;
    QString code;     // stable machine code, e.g. "quantity.below_moq", "auth.invalid_credentials"
    QString userText; // one sentence a user can read
    QString detail;   // for logs; never customer data, passwords or tokens
    QString field;    // optional: the input field concerned, e.g. "lines[2].quantity"

    bool isTransient() const { return kind == ErrorKind::Transient || kind == ErrorKind::Offline; }
    bool isPermanent() const { return !isTransient(); }

    static Error invalid(QString code, QString text, QString field = {})
    {
        return Error{ErrorKind::Invalid, std::move(code), std::move(text), {}, std::move(field)};
    }
    static Error make(ErrorKind kind, QString code, QString text, QString detail = {})
    {
        return Error{kind, std::move(code), std::move(text), std::move(detail), {}};
    }
};

template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_v); }
    const T &value() const & { return std::get<0>(m_v); }
    T &&value() && { return std::get<0>(std::move(m_v)); }
    T valueOr(T fallback) const { return ok() ? std::get<0>(m_v) : std::move(fallback); }
    T *operator->() { return &std::get<0>(m_v); }
    const T *operator->() const { return &std::get<0>(m_v); }
    T &operator*() { return std::get<0>(m_v); }
    const T &operator*() const { return std::get<0>(m_v); }

    const Error &error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace outpost
