"""The unit actions: create, rename, move, close and reopen, with their refusals and audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kompeten.core.models import AuditLog
from kompeten.people.actions import (
    do_close_unit,
    do_create_unit,
    do_deactivate_employee,
    do_move_unit,
    do_rename_unit,
    do_reopen_unit,
)
from kompeten.people.models import Unit, UnitKind
from tests import factories


def _paths(world) -> dict[str, tuple[str, int]]:
    return {u.code: (u.path, u.depth) for u in Unit.objects.filter(instansi=world.instansi)}


def test_create_strips_and_audits(world) -> None:
    unit = do_create_unit(
        instansi=world.instansi,
        code=" ALFA-SEK ",
        name="  Sekretariat   Dinas Alfa ",
        kind=UnitKind.SEKRETARIAT,
        parent=world.alfa,
        actor=world.alice,
    )
    assert (unit.code, unit.name, unit.path, unit.depth) == (
        "ALFA-SEK",
        "Sekretariat Dinas Alfa",
        "KOTA/ALFA/ALFA-SEK/",
        2,
    )
    log = AuditLog.objects.get(action="unit.create", object_id=str(unit.pk))
    assert log.actor == world.alice and log.after["path"] == "KOTA/ALFA/ALFA-SEK/"


def test_create_names_every_bad_field_at_once(world) -> None:
    with pytest.raises(ValidationError) as refused:
        do_create_unit(instansi=world.instansi, code="", name="  ", kind="planet")
    errors = refused.value.message_dict
    assert set(errors) == {"code", "name", "kind"}
    assert "Nama unit wajib diisi" in errors["name"][0]
    assert "dinas" in errors["kind"][0]


def test_create_refuses_a_closed_parent(world) -> None:
    closed = factories.make_unit(world.instansi, "Dinas Gamma", code="GAMMA")
    do_close_unit(unit=closed)
    with pytest.raises(ValidationError) as refused:
        do_create_unit(
            instansi=world.instansi, code="G1", name="Bidang", kind="bagian", parent=closed
        )
    assert "ditutup" in refused.value.message_dict["parent"][0]


def test_create_refuses_a_path_longer_than_the_column(world) -> None:
    parent = world.layanan
    for i in range(10):  # 19 + 10 × 21 = 229 characters
        parent = do_create_unit(
            instansi=world.instansi,
            code=f"{i:02d}" + "X" * 18,
            name=f"U{i}",
            kind="bagian",
            parent=parent,
        )
    with pytest.raises(ValidationError, match="terlalu panjang"):
        do_create_unit(
            instansi=world.instansi, code="Y" * 40, name="Dalam", kind="bagian", parent=parent
        )


def test_rename_changes_the_fields_and_keeps_paths_when_the_code_stays(world) -> None:
    unit = do_rename_unit(
        unit=world.alfa,
        name="Dinas Alfa Baru",
        short_name="DAB",
        code="ALFA",
        kind=UnitKind.BADAN,
        actor=world.alice,
    )
    unit.refresh_from_db()
    assert (unit.name, unit.short_name, unit.kind, unit.path) == (
        "Dinas Alfa Baru",
        "DAB",
        "badan",
        "KOTA/ALFA/",
    )
    log = AuditLog.objects.get(action="unit.rename")
    assert log.before["name"] == "Dinas Alfa" and log.after["name"] == "Dinas Alfa Baru"


def test_a_new_code_rewrites_the_paths_of_the_whole_subtree(world) -> None:
    do_rename_unit(unit=world.alfa, name="Dinas Alfa", short_name="", code="A2", kind="dinas")
    paths = _paths(world)
    assert paths["A2"] == ("KOTA/A2/", 1)
    assert paths["ALFA-LAY"] == ("KOTA/A2/ALFA-LAY/", 2)
    assert paths["BETA"] == ("KOTA/BETA/", 1)
    assert world.alfa.path == "KOTA/A2/"  # the caller's instance is brought up to date


def test_rename_refuses_a_code_in_use_and_writes_nothing(world) -> None:
    with pytest.raises(ValidationError) as refused:
        do_rename_unit(unit=world.alfa, name="", short_name="", code="BETA", kind="dinas")
    assert set(refused.value.message_dict) == {"code", "name"}
    world.alfa.refresh_from_db()
    assert world.alfa.name == "Dinas Alfa" and not AuditLog.objects.filter(action="unit.rename")


def test_move_rewrites_path_and_depth_of_the_subtree_set_based(
    world, django_assert_max_num_queries
) -> None:
    for i in range(20):
        factories.make_unit(world.instansi, f"Seksi {i}", parent=world.layanan, code=f"S{i}")
    with django_assert_max_num_queries(12):
        do_move_unit(unit=world.layanan, parent=world.beta, actor=world.alice)
    paths = _paths(world)
    assert paths["ALFA-LAY"] == ("KOTA/BETA/ALFA-LAY/", 2)
    assert all(paths[f"S{i}"] == (f"KOTA/BETA/ALFA-LAY/S{i}/", 3) for i in range(20))
    assert Unit.objects.get(code="ALFA-LAY").parent_id == world.beta.pk
    log = AuditLog.objects.get(action="unit.move")
    assert log.before["path"] == "KOTA/ALFA/ALFA-LAY/" and "21 unit" in log.summary


def test_move_to_the_top_level(world) -> None:
    do_move_unit(unit=world.alfa, parent=None)
    paths = _paths(world)
    assert paths["ALFA"] == ("ALFA/", 0) and paths["ALFA-LAY"] == ("ALFA/ALFA-LAY/", 1)


def test_move_refuses_a_cycle(world) -> None:
    for target in (world.alfa, world.layanan):
        with pytest.raises(ValidationError) as refused:
            do_move_unit(unit=world.alfa, parent=target)
        assert "dirinya sendiri" in refused.value.message_dict["parent"][0]
    assert _paths(world)["ALFA"] == ("KOTA/ALFA/", 1)


def test_move_refuses_another_instansi(world) -> None:
    elsewhere = factories.make_unit(world.mallory.instansi, "Dinas Lain", code="LAIN")
    with pytest.raises(ValidationError, match="instansi lain"):
        do_move_unit(unit=world.alfa, parent=elsewhere)


def test_move_refuses_a_closed_parent_and_the_same_parent(world) -> None:
    gamma = factories.make_unit(world.instansi, "Dinas Gamma", code="GAMMA")
    do_close_unit(unit=gamma)
    with pytest.raises(ValidationError, match="ditutup"):
        do_move_unit(unit=world.layanan, parent=gamma)
    with pytest.raises(ValidationError, match="sudah berada"):
        do_move_unit(unit=world.layanan, parent=world.alfa)


def test_close_refuses_while_staff_or_open_sub_units_remain_and_says_how_many(world) -> None:
    with pytest.raises(ValidationError) as refused:
        do_close_unit(unit=world.alfa)
    messages = refused.value.message_dict["is_active"]
    assert any("1 pegawai aktif" in m for m in messages)
    assert any("1 sub-unit yang terbuka" in m for m in messages)
    with pytest.raises(ValidationError, match="2 pegawai aktif"):
        do_close_unit(unit=world.layanan)
    assert Unit.objects.filter(is_active=False).count() == 0


def test_close_and_reopen(world) -> None:
    from datetime import date

    for emp in (world.carol_emp, world.dave_emp):
        do_deactivate_employee(employee=emp, reason="pensiun", on=date(2026, 1, 1))
    do_close_unit(unit=world.layanan, actor=world.alice)
    assert not Unit.objects.get(pk=world.layanan.pk).is_active
    with pytest.raises(ValidationError, match="sudah ditutup"):
        do_close_unit(unit=world.layanan)
    do_reopen_unit(unit=world.layanan, actor=world.alice)
    assert Unit.objects.get(pk=world.layanan.pk).is_active
    with pytest.raises(ValidationError, match="masih terbuka"):
        do_reopen_unit(unit=world.layanan)
    assert list(
        AuditLog.objects.filter(action__in=["unit.close", "unit.reopen"])
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["unit.close", "unit.reopen"]


def test_reopen_refuses_under_a_closed_parent(world) -> None:
    gamma = factories.make_unit(world.instansi, "Dinas Gamma", code="GAMMA")
    seksi = factories.make_unit(world.instansi, "Seksi", parent=gamma, code="G-S")
    do_close_unit(unit=seksi)
    do_close_unit(unit=gamma)
    with pytest.raises(ValidationError, match="Dinas Gamma sudah ditutup"):
        do_reopen_unit(unit=seksi)


def _assert_tree_consistent(instansi) -> None:
    units = {u.pk: u for u in Unit.objects.filter(instansi=instansi)}
    for u in units.values():
        if u.parent_id is None:
            assert (u.path, u.depth) == (f"{u.code}/", 0)
        else:
            parent = units[u.parent_id]
            assert (u.path, u.depth) == (f"{parent.path}{u.code}/", parent.depth + 1)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    moves=st.lists(
        st.tuples(st.integers(0, 7), st.one_of(st.none(), st.integers(0, 7)), st.booleans()),
        max_size=12,
    )
)
def test_any_sequence_of_moves_and_renames_keeps_every_path_consistent(world, moves) -> None:
    """Whatever is moved where (cycles refused), every unit's path is its parent's path plus
    its code, and its depth one more than its parent's."""
    from django.db import transaction

    with transaction.atomic():
        codes = ["P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7"]
        made: list[Unit] = []
        for i, code in enumerate(codes):
            parent = made[(i - 1) // 2] if i else None
            made.append(
                do_create_unit(
                    instansi=world.instansi, code=code, name=code, kind="bagian", parent=parent
                )
            )
        for n, (who, where, rename) in enumerate(moves):
            unit = Unit.objects.get(pk=made[who].pk)
            if rename:
                do_rename_unit(
                    unit=unit, name=unit.name, short_name="", code=f"R{n}", kind=unit.kind
                )
                continue
            target = Unit.objects.get(pk=made[where].pk) if where is not None else None
            try:
                do_move_unit(unit=unit, parent=target)
            except ValidationError:
                cycle = target is not None and target.path.startswith(unit.path)
                same = unit.parent_id == (target.pk if target else None)
                assert cycle or same
        _assert_tree_consistent(world.instansi)
        transaction.set_rollback(True)
