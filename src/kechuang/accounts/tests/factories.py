import factory
from django.contrib.auth.models import Group

from kechuang.accounts.models import Unit, User
from kechuang.accounts.validators import credit_code_check_char


def _credit_code(n: int) -> str:
    # Numbered from 900,000,000: the demo's enterprises are numbered from 1 in the same region (accounts.demo,
    # platforms.demo), and a test reading the demo template with a factory unit of the same number failed on
    # the credit code's unique constraint, as the worker's sequence happened to reach it.
    body = f"91140100{n + 900_000_000:09d}"
    return body + credit_code_check_char(body)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n:04d}")
    kind = Unit.Kind.ENTERPRISE
    credit_code = factory.Sequence(_credit_code)
    # As Unit.clean reads it from the credit code (characters 3-8).
    region_code = factory.LazyAttribute(lambda o: o.credit_code[2:8] if o.credit_code else "")
    province = "140000"  # 山西省 (GB/T 2260)
    city = "太原市"  # as stored: the division's Chinese name (accounts 0012)

    class Params:
        university = factory.Trait(kind=Unit.Kind.UNIVERSITY, credit_code="")
        institute = factory.Trait(kind=Unit.Kind.INSTITUTE, credit_code="")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n:04d}")
    full_name = factory.Sequence(lambda n: f"用户{n:04d}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get_or_create(name=str(r))[0] for r in extracted])
