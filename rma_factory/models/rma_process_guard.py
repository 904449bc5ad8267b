"""Fields only the returns process writes (R-71, #11).

The web client's read-only fields and hidden buttons protect nothing: JSON-RPC, imports and
server actions call ``create``/``write`` directly. So every model of the process declares

* ``_rma_process_fields``: fields that only its action methods write — states, signatures (who and
  when), amounts decided in a wizard, links to pickings and moves, numbers. On ``create`` they may
  only take their own default value (neither the client's ``default_<field>`` context keys nor
  a user's saved defaults apply to them); ``"__all__"`` guards every field (an approval line);
* ``_rma_fixed_fields``: fields given on ``create`` that never change afterwards (the request a
  document belongs to);
* ``_rma_char_limits``: the size of the paper form's box for a text field;

and writes them through ``records._rma_process()``. The mark it puts in the context is an
instance of a private ``str`` subclass: it serialises like any string, but no client can send
one back (JSON only makes plain strings), so the mark cannot be forged from outside.

The same check also bounds dates: a year 9999 is a typing error, not a delivery date.
"""
from datetime import date, datetime

from odoo import api, models
from odoo.exceptions import UserError, ValidationError

PROCESS_CONTEXT_KEY = "rma_process"
# Dates the process accepts: before 1990 no delivery of ours exists; after 2100 is a typing error.
EARLIEST_DATE = date(1990, 1, 1)
LATEST_DATE = date(2100, 12, 31)


class _ProcessMark(str):
    """Set in the context by the process's own action methods only (see the module docstring)."""

    __slots__ = ()


PROCESS_MARK = _ProcessMark("rma_factory")


def _declared(cls, attribute):
    """The union of `attribute` over the classes of the model: each stage file declares the
    fields it guards next to their definition."""
    # Cached per model class, for its current bases: a module loaded later extends the same class.
    cache = cls.__dict__.get("_rma_guard_cache")
    if cache is None or cache.get("__mro__") is not cls.__mro__:
        cache = {"__mro__": cls.__mro__}
        cls._rma_guard_cache = cache
    if attribute not in cache:
        values = [klass.__dict__[attribute] for klass in cls.__mro__ if attribute in klass.__dict__]
        if attribute == "_rma_char_limits":
            cache[attribute] = {name: size for value in reversed(values) for name, size in value.items()}
        elif "__all__" in values:
            cache[attribute] = "__all__"
        else:
            cache[attribute] = frozenset(name for value in values for name in value)
    return cache[attribute]


def speaking_env(records):
    """The environment our refusals are written in: the user's language when the call brought
    none (a script's JSON-RPC call on a picking or an entry, which our dataset controller leaves
    as Odoo has it)."""
    env = records.env
    return env if env.lang else env(context=dict(env.context, lang=env.user.lang))


def is_process_env(env):
    return isinstance(env.context.get(PROCESS_CONTEXT_KEY), _ProcessMark)


def guarded_field_names(records, names):
    """Those of `names` that only the process writes."""
    guarded = _declared(type(records), "_rma_process_fields")
    return [name for name in names if name in records._fields and (guarded == "__all__" or name in guarded)]


def check_process_values(records, vals, creating=False):
    """Refuse `vals` if they write a field that only the process writes (see the module
    docstring), and check the date and size bounds. Shared by our models (through the mixin)
    and the Odoo models we link to (pickings, moves, scraps, repairs)."""
    cls = type(records)
    guarded = _declared(cls, "_rma_process_fields")
    fixed = () if creating else _declared(cls, "_rma_fixed_fields")
    if not is_process_env(records.env):
        forbidden = set(vals) if guarded == "__all__" else set(vals) & (set(guarded) | set(fixed))
        if creating and forbidden:
            # On create, a guarded field may take its own default (an import repeating "Draft").
            forbidden = {
                name for name in forbidden
                if not _same_value(records, name, vals[name], _own_default(records, name))
            }
        elif forbidden:
            # Rewriting the current value is harmless (an export re-imported as an update).
            forbidden = {
                name for name in forbidden
                if any(not _same_value(record, name, vals[name], record[name]) for record in records)
            }
        if forbidden:
            env = speaking_env(records)
            raise UserError(env._(
                "%(fields)s of %(model)s can't be set directly: they are written by the returns process "
                "itself (its buttons and wizards), which checks who may do it and when.",
                fields=", ".join(sorted(_field_label(records.with_env(env), name) for name in forbidden)),
                # The model's name in the user's language (ir.model names are translated).
                model=env["ir.model"]._get(records._name).name or records._description,
            ))
    if cls._rma_bounded:
        _check_bounds(records, vals)


def changed_field_names(records, vals, names):
    """Those of `names` that `vals` set to another value than one of `records` has."""
    return {
        name for name in names.intersection(vals)
        if any(not _same_value(record, name, vals[name], record[name]) for record in records)
    }


def _own_default(records, name):
    """The field's own default: never the context's ``default_<field>`` nor a user's saved
    default (ir.default), which a client sets as it likes."""
    field = records._fields[name]
    return field.default(records) if field.default else False


def _resulting_ids(value, current_ids):
    """The ids an x2many value leaves (None when the commands do more than link or unlink)."""
    ids = set(current_ids)
    if not value:
        return set()
    for command in value:
        if not isinstance(command, list | tuple) or not command:
            return None
        if command[0] == 6:
            ids = set(command[2] or ())
        elif command[0] == 5:
            ids = set()
        elif command[0] == 4:
            ids.add(command[1])
        elif command[0] == 3:
            ids.discard(command[1])
        else:
            return None
    return ids


def _same_value(record, name, value, current):
    """Whether `value` (as a client sends it) is `current`. A value of the wrong type is not the
    current one: the caller refuses it with its own message rather than a conversion error."""
    try:
        return _converted_equal(record, name, value, current)
    except (ValueError, TypeError, OverflowError):
        return False


def _converted_equal(record, name, value, current):
    field = record._fields[name]
    if field.type in ("one2many", "many2many"):
        current_ids = current.ids if isinstance(current, models.BaseModel) else []
        return _resulting_ids(value, current_ids) == set(current_ids)
    cached = field.convert_to_cache(value, record, validate=False)
    new = field.convert_to_record(cached, record)
    if isinstance(current, models.BaseModel):
        return new == current
    old = field.convert_to_record(field.convert_to_cache(current, record, validate=False), record)
    return (new or False) == (old or False)


def _field_label(records, name):
    field = records._fields[name]
    return field._description_string(records.env) if hasattr(field, "_description_string") else field.string


def _check_bounds(records, vals):
    env = speaking_env(records)
    for name, value in vals.items():
        field = records._fields.get(name)
        if not field or not value:
            continue
        if field.type in ("date", "datetime"):
            try:
                day = field.to_date(value) if field.type == "date" else field.to_datetime(value)
            except (ValueError, TypeError):
                raise ValidationError(env._("%(field)s: %(value)s is not a date.",
                                            field=_field_label(records.with_env(env), name), value=value)) from None
            day = day.date() if isinstance(day, datetime) else day
            if not EARLIEST_DATE <= day <= LATEST_DATE:
                raise ValidationError(env._(
                    "%(field)s: %(value)s is outside the years %(first)s–%(last)s. Check the date.",
                    field=_field_label(records.with_env(env), name), value=value,
                    first=EARLIEST_DATE.year, last=LATEST_DATE.year,
                ))
        limit = _declared(type(records), "_rma_char_limits").get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            raise ValidationError(env._(
                "%(field)s: at most %(limit)s characters (the box on the paper form), got %(length)s.",
                field=_field_label(records.with_env(env), name), limit=limit, length=len(value),
            ))


class RmaProcessGuard(models.AbstractModel):
    """Fields only the returns process writes; see the module docstring."""

    _name = "rma.process.guard"
    _description = "Fields Written by the Returns Process"

    _rma_process_fields = ()
    _rma_fixed_fields = ()
    _rma_char_limits = {}
    # Dates and sizes are bounded on our own models; an Odoo model we extend (a picking) keeps
    # Odoo's rules for its own fields.
    _rma_bounded = True

    def _check_action_allowed(self, flag, action):
        """The last check of each button's method: the rule its `can_*` boolean (`flag`) states,
        role and step together, so that a call over JSON-RPC meets the same rule as the form.
        `action`: what the button does, as the user reads it. The method's own checks come first,
        for their more precise messages."""
        refused = self.filtered(lambda record: not record[flag])
        if not refused:
            return
        record = refused[0]
        step = ""
        if "state" in record._fields:
            step = dict(record._fields["state"]._description_selection(self.env)).get(record.state, "")
        raise UserError(self.env._(
            "%(user)s can't %(action)s %(record)s (%(step)s): it is not theirs to do, or not at this step.",
            user=self.env.user.name, action=action, record=record.display_name, step=step,
        ))

    def _rma_process(self):
        """These records, as the process's own action methods write them."""
        return self.with_context(**{PROCESS_CONTEXT_KEY: PROCESS_MARK})

    @api.model
    def default_get(self, fields):
        # A guarded field starts from its own default only: a client's context (default_state)
        # and a user's saved defaults (ir.default) are theirs to set, in the process's steps too.
        defaults = super().default_get(fields)
        for name in guarded_field_names(self, fields):
            field = self._fields[name]
            if field.default:
                defaults[name] = field.convert_to_write(field.default(self), self)
            else:
                defaults.pop(name, None)
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_process_values(self, vals, creating=True)
        # Checked once here: what the process fills in below is not checked again.
        self._rma_fill_process_values(vals_list)
        return super().create(vals_list)

    def _rma_fill_process_values(self, vals_list):
        """Set what the process decides on a new record (its number), once the client's values
        are checked."""

    def _rma_next_number(self, code, vals, company=None, sequence_date=None):
        """A number from the sequence `code` (no_gap: auditors check the continuity of the form
        numbers); the default "New" is never kept."""
        if vals.get("name") in (None, False, "New", self.env._("New")):
            sequences = self.env["ir.sequence"].with_company(company) if company else self.env["ir.sequence"]
            vals["name"] = sequences.next_by_code(code, sequence_date=sequence_date) or vals.get("name")

    def write(self, vals):
        check_process_values(self, vals)
        if not is_process_env(self.env):
            self._rma_check_still_writable(vals)
        return super().write(vals)

    def _rma_check_still_writable(self, vals):
        """Refuse a user's `vals` (not the process's) that the records' step no longer takes: a
        completed inspection, a concluded review... Run once the guarded fields are refused, so
        that those keep the guard's own message."""
