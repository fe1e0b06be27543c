//! The argument syntax shared by every resource attribute, and a reader that turns it
//! into typed values while collecting diagnostics.
//!
//! ```text
//! args  := arg (',' arg)* ','?
//! arg   := key ('=' value | '(' args ')')?          // `key` alone is a flag
//! key   := ident ('::' ident)*
//! value := "str" | 123 | true | ident | ident ':' ident | '[' value,* ']' | ident '(' args ')'
//! ```

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{bracketed, parenthesized, Ident, LitBool, LitFloat, LitInt, LitStr, Token};

use super::diagnostics::{did_you_mean, Diagnostics};

/// A comma-separated list of arguments.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// The arguments in source order.
    pub items: Vec<Arg>,
}

/// One `key`, `key = value` or `key(...)` argument.
#[derive(Debug, Clone)]
pub struct Arg {
    /// `a` or `a::b` (resolver keys).
    pub key: Vec<Ident>,
    /// What follows the key.
    pub body: ArgBody,
}

/// The part of an argument after its key.
#[derive(Debug, Clone)]
pub enum ArgBody {
    /// Nothing: a flag.
    Flag,
    /// `= value`.
    Value(ArgValue),
    /// `(args)`.
    Nested(Args, Span),
}

/// A value on the right of `=`.
#[derive(Debug, Clone)]
pub enum ArgValue {
    /// A string literal.
    Str(LitStr),
    /// An integer literal.
    Int(LitInt),
    /// `true` or `false`.
    Bool(LitBool),
    /// A bare identifier: an option value or a resource name.
    Ident(Ident),
    /// `name: type`, used for key attributes.
    Typed(Ident, Ident),
    /// `[a, b]`.
    List(Vec<ArgValue>, Span),
    /// `name(args)`.
    Call(Ident, Args, Span),
    /// `3.12`: never valid, kept so that the message can name the key.
    Float(LitFloat),
}

impl ArgValue {
    /// The span covering the whole value.
    pub fn span(&self) -> Span {
        match self {
            ArgValue::Str(s) => s.span(),
            ArgValue::Int(i) => i.span(),
            ArgValue::Float(f) => f.span(),
            ArgValue::Bool(b) => b.span,
            ArgValue::Ident(i) => i.span(),
            ArgValue::Typed(a, b) => a.span().join(b.span()).unwrap_or(a.span()),
            ArgValue::List(_, s) | ArgValue::Call(_, _, s) => *s,
        }
    }

    /// A short name for the kind of value, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match self {
            ArgValue::Str(_) => "a string",
            ArgValue::Int(_) => "an integer",
            ArgValue::Float(_) => "a decimal number",
            ArgValue::Bool(_) => "a boolean",
            ArgValue::Ident(_) => "a name",
            ArgValue::Typed(..) => "a `name: type` pair",
            ArgValue::List(..) => "a list",
            ArgValue::Call(..) => "a call",
        }
    }
}

impl Arg {
    /// The key as written, `a::b` for paths.
    pub fn key_text(&self) -> String {
        self.key
            .iter()
            .map(Ident::to_string)
            .collect::<Vec<_>>()
            .join("::")
    }

    /// The span of the key.
    pub fn key_span(&self) -> Span {
        let first = self.key[0].span();
        let last = self.key[self.key.len() - 1].span();
        first.join(last).unwrap_or(first)
    }

    /// The span of the whole argument.
    pub fn span(&self) -> Span {
        let end = match &self.body {
            ArgBody::Flag => return self.key_span(),
            ArgBody::Value(v) => v.span(),
            ArgBody::Nested(_, s) => *s,
        };
        self.key_span().join(end).unwrap_or(self.key_span())
    }
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let items = Punctuated::<Arg, Token![,]>::parse_terminated(input)?;
        Ok(Args {
            items: items.into_iter().collect(),
        })
    }
}

impl Parse for Arg {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if !input.peek(Ident::peek_any) {
            return Err(input
                .error("expected a key, such as `min_length = 10`, `numbers` or `password(...)`"));
        }
        let mut key = vec![input.call(Ident::parse_any)?];
        while input.peek(Token![::]) {
            input.parse::<Token![::]>()?;
            key.push(input.call(Ident::parse_any)?);
        }
        let body = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            ArgBody::Value(input.parse()?)
        } else if input.peek(syn::token::Paren) {
            let content;
            let paren = parenthesized!(content in input);
            ArgBody::Nested(content.parse()?, paren.span.join())
        } else {
            ArgBody::Flag
        };
        Ok(Arg { key, body })
    }
}

impl Parse for ArgValue {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let lookahead = input.lookahead1();
        if lookahead.peek(LitStr) {
            Ok(ArgValue::Str(input.parse()?))
        } else if lookahead.peek(LitInt) {
            Ok(ArgValue::Int(input.parse()?))
        } else if lookahead.peek(LitFloat) {
            Ok(ArgValue::Float(input.parse()?))
        } else if lookahead.peek(LitBool) {
            Ok(ArgValue::Bool(input.parse()?))
        } else if lookahead.peek(syn::token::Bracket) {
            let content;
            let bracket = bracketed!(content in input);
            let items = Punctuated::<ArgValue, Token![,]>::parse_terminated(&content)?;
            Ok(ArgValue::List(
                items.into_iter().collect(),
                bracket.span.join(),
            ))
        } else if lookahead.peek(Ident::peek_any) {
            let ident = input.call(Ident::parse_any)?;
            if input.peek(Token![:]) && !input.peek(Token![::]) {
                input.parse::<Token![:]>()?;
                let ty = input.call(Ident::parse_any)?;
                Ok(ArgValue::Typed(ident, ty))
            } else if input.peek(syn::token::Paren) {
                let content;
                let paren = parenthesized!(content in input);
                let span = ident
                    .span()
                    .join(paren.span.close())
                    .unwrap_or(ident.span());
                Ok(ArgValue::Call(ident, content.parse()?, span))
            } else {
                Ok(ArgValue::Ident(ident))
            }
        } else {
            Err(lookahead.error())
        }
    }
}

/// Reads the arguments of one attribute (or one nested list), remembering which keys were
/// used so that [`ArgReader::finish`] can report every unknown one.
pub struct ArgReader<'a> {
    items: Vec<Option<Arg>>,
    context: String,
    known: Vec<&'static str>,
    cx: &'a Diagnostics,
}

impl<'a> ArgReader<'a> {
    /// `context` names the attribute in messages, e.g. "`#[auth]`".
    pub fn new(
        args: Args,
        context: impl Into<String>,
        known: &[&'static str],
        cx: &'a Diagnostics,
    ) -> Self {
        ArgReader {
            items: args.items.into_iter().map(Some).collect(),
            context: context.into(),
            known: known.to_vec(),
            cx,
        }
    }

    /// The diagnostics sink.
    pub fn cx(&self) -> &'a Diagnostics {
        self.cx
    }

    /// The context string used in messages.
    pub fn context(&self) -> &str {
        &self.context
    }

    /// Takes the single argument named `key`; a repeated key is reported.
    pub fn take(&mut self, key: &str) -> Option<Arg> {
        let mut found: Option<Arg> = None;
        for slot in &mut self.items {
            if slot
                .as_ref()
                .is_some_and(|a| a.key.len() == 1 && a.key[0] == key)
            {
                let arg = slot.take().expect("checked above");
                if found.is_some() {
                    self.cx.error(
                        arg.key_span(),
                        format!(
                            "duplicate key `{key}` in {}; remove one of them",
                            self.context
                        ),
                    );
                } else {
                    found = Some(arg);
                }
            }
        }
        found.or_else(|| self.take_misspelt(key))
    }

    /// An unknown key that is most likely a typo of `key`: reported once, here, and read
    /// as `key`, so that the typo is one error and not also a "missing key" or a
    /// suggestion that ignores the value the user wrote.
    fn take_misspelt(&mut self, key: &str) -> Option<Arg> {
        let known = &self.known;
        let slot = self.items.iter_mut().find(|slot| {
            slot.as_ref().is_some_and(|a| {
                let text = a.key_text();
                a.key.len() == 1
                    && !known.contains(&text.as_str())
                    && did_you_mean(&text, known) == Some(key)
            })
        })?;
        let arg = slot.take()?;
        self.cx.error(
            arg.key_span(),
            format!(
                "unknown key `{}` in {}; did you mean `{key}`?",
                arg.key_text(),
                self.context
            ),
        );
        Some(arg)
    }

    /// Takes every argument named `key` (for repeatable keys such as `index(...)`).
    pub fn take_all(&mut self, key: &str) -> Vec<Arg> {
        let mut out = Vec::new();
        for slot in &mut self.items {
            if slot
                .as_ref()
                .is_some_and(|a| a.key.len() == 1 && a.key[0] == key)
            {
                out.push(slot.take().expect("checked above"));
            }
        }
        out
    }

    /// Takes every remaining argument, whatever its key (for maps like `env(...)`).
    pub fn take_rest(&mut self) -> Vec<Arg> {
        self.items.iter_mut().filter_map(Option::take).collect()
    }

    /// Reports every argument nobody asked for.
    pub fn finish(self) {
        for arg in self.items.into_iter().flatten() {
            let key = arg.key_text();
            let hint = match did_you_mean(&key, &self.known) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("expected one of: {}", self.known.join(", ")),
            };
            self.cx.error(
                arg.key_span(),
                format!("unknown key `{key}` in {}; {hint}", self.context),
            );
        }
    }
}

/// Typed access to one argument's value; each reports a spanned error and returns
/// `None` when the value has the wrong shape.
impl Arg {
    /// `key = value`.
    pub fn value(&self, cx: &Diagnostics, expected: &str) -> Option<&ArgValue> {
        match &self.body {
            ArgBody::Value(v) => Some(v),
            _ => {
                cx.error(
                    self.span(),
                    format!(
                        "`{}` needs a value: write `{} = {expected}`",
                        self.key_text(),
                        self.key_text()
                    ),
                );
                None
            }
        }
    }

    /// `key = "text"`.
    pub fn string(&self, cx: &Diagnostics) -> Option<LitStr> {
        match self.value(cx, "\"...\"")? {
            ArgValue::Str(s) => Some(s.clone()),
            number @ (ArgValue::Int(_) | ArgValue::Float(_)) => {
                let text = match number {
                    ArgValue::Int(i) => i.to_string(),
                    ArgValue::Float(f) => f.to_string(),
                    _ => unreachable!("matched above"),
                };
                let key = self.key_text();
                cx.error(
                    number.span(),
                    format!("`{key}` expects a string literal, found {}; write it in quotes: `{key} = \"{text}\"`", number.describe()),
                );
                None
            }
            ArgValue::Ident(ident) => {
                let key = self.key_text();
                cx.error(
                    ident.span(),
                    format!("`{key}` expects a string literal, found the name `{ident}`; write it in quotes: `{key} = \"{ident}\"`"),
                );
                None
            }
            other => {
                wrong_type(cx, self, other, "a string literal");
                None
            }
        }
    }

    /// `key = 123` within `range`: a count, without a unit.
    pub fn int(&self, cx: &Diagnostics, range: std::ops::RangeInclusive<u32>) -> Option<u32> {
        self.quantity(cx, range, Unit::Count)
    }

    /// `key = 123` within `range`, in `unit`. A unit suffix (`5m`, `512mb`) is refused
    /// rather than ignored, with the value converted into the key's unit when it can be.
    pub fn quantity(
        &self,
        cx: &Diagnostics,
        range: std::ops::RangeInclusive<u32>,
        unit: Unit,
    ) -> Option<u32> {
        let key = self.key_text();
        let i = match self.value(cx, &range.start().to_string())? {
            ArgValue::Int(i) => i,
            other => {
                wrong_type(cx, self, other, "an integer");
                return None;
            }
        };
        let suffix = i.suffix();
        if !suffix.is_empty() {
            let digits = i.base10_digits();
            let fix = digits
                .parse::<u64>()
                .ok()
                .and_then(|n| unit.convert(n, suffix))
                .map(|n| format!("write `{key} = {n}`"))
                .unwrap_or_else(|| format!("write the number alone, e.g. `{key} = {digits}`"));
            cx.error(
                i.span(),
                format!(
                    "`{key}` takes a plain integer{}, not `{digits}{suffix}`; {fix}",
                    unit.phrase()
                ),
            );
            return None;
        }
        match i.base10_parse::<u32>() {
            Ok(n) if range.contains(&n) => Some(n),
            _ => {
                cx.error(
                    i.span(),
                    format!(
                        "`{key}` must be between {} and {}{}, found {}",
                        range.start(),
                        range.end(),
                        unit.after_range(),
                        i.base10_digits()
                    ),
                );
                None
            }
        }
    }

    /// `key` (true), `key = true` or `key = false`.
    pub fn flag(&self, cx: &Diagnostics) -> Option<bool> {
        match &self.body {
            ArgBody::Flag => Some(true),
            ArgBody::Value(ArgValue::Bool(b)) => Some(b.value),
            ArgBody::Value(other) => {
                wrong_type(cx, self, other, "`true` or `false`");
                None
            }
            ArgBody::Nested(_, span) => {
                cx.error(
                    *span,
                    format!(
                        "`{}` takes no arguments; write `{}` or `{} = false`",
                        self.key_text(),
                        self.key_text(),
                        self.key_text()
                    ),
                );
                None
            }
        }
    }

    /// `key(args)`, or a bare `key` (empty args) when `allow_flag`.
    pub fn nested(&self, cx: &Diagnostics, allow_flag: bool) -> Option<Args> {
        match &self.body {
            ArgBody::Nested(args, _) => Some(args.clone()),
            ArgBody::Flag if allow_flag => Some(Args::default()),
            _ => {
                cx.error(
                    self.span(),
                    format!(
                        "`{}` takes a parenthesised list: write `{}(...)`",
                        self.key_text(),
                        self.key_text()
                    ),
                );
                None
            }
        }
    }

    /// `key = [a, b]` (a single value is accepted as a one-element list).
    pub fn list(&self, cx: &Diagnostics) -> Option<Vec<ArgValue>> {
        match self.value(cx, "[...]")? {
            ArgValue::List(items, _) => Some(items.clone()),
            single => Some(vec![single.clone()]),
        }
    }
}

/// The unit of an integer key, for messages and for converting a suffix the user wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A plain count (characters, capacity units, receives).
    Count,
    /// Seconds.
    Seconds,
    /// Days.
    Days,
    /// Megabytes (MB, as Lambda counts memory).
    Megabytes,
}

impl Unit {
    /// `" (seconds)"`, or nothing for a count.
    fn phrase(self) -> &'static str {
        match self {
            Unit::Count => "",
            Unit::Seconds => " of seconds",
            Unit::Days => " of days",
            Unit::Megabytes => " of MB",
        }
    }

    /// `" seconds"` after a range, or nothing for a count.
    fn after_range(self) -> &'static str {
        match self {
            Unit::Count => "",
            Unit::Seconds => " seconds",
            Unit::Days => " days",
            Unit::Megabytes => " MB",
        }
    }

    /// `n` with `suffix`, in this unit, if the suffix names a unit of the same kind.
    fn convert(self, n: u64, suffix: &str) -> Option<u64> {
        let factor = match (self, suffix.to_ascii_lowercase().as_str()) {
            (Unit::Seconds, "s" | "sec" | "secs" | "seconds") => 1,
            (Unit::Seconds, "m" | "min" | "mins" | "minutes") => 60,
            (Unit::Seconds, "h" | "hr" | "hours") => 3600,
            (Unit::Days, "d" | "day" | "days") => 1,
            (Unit::Megabytes, "m" | "mb" | "mib") => 1,
            (Unit::Megabytes, "g" | "gb" | "gib") => 1024,
            _ => return None,
        };
        n.checked_mul(factor)
    }
}

/// Reports "expected X, found Y" at the value.
pub fn wrong_type(cx: &Diagnostics, arg: &Arg, found: &ArgValue, expected: &str) {
    cx.error(
        found.span(),
        format!(
            "`{}` expects {expected}, found {}",
            arg.key_text(),
            found.describe()
        ),
    );
}

/// Reads a bare identifier value that must be one of `choices`.
pub fn choice(
    cx: &Diagnostics,
    what: &str,
    value: &ArgValue,
    choices: &[&str],
) -> Option<(String, Span)> {
    match value {
        ArgValue::Ident(ident) => {
            let text = ident.to_string();
            if choices.contains(&text.as_str()) {
                Some((text, ident.span()))
            } else {
                let hint = match did_you_mean(&text, choices) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("expected one of: {}", choices.join(", ")),
                };
                cx.error(ident.span(), format!("unknown {what} `{text}`; {hint}"));
                None
            }
        }
        other => {
            cx.error(
                other.span(),
                format!(
                    "expected {what} ({}), found {}",
                    choices.join(", "),
                    other.describe()
                ),
            );
            None
        }
    }
}
