from django import template

from kechuang.evaluation import display

register = template.Library()


@register.filter
def grading_sentence(campaign):
    return display.grading_sentence(campaign.grading, campaign.grade_params)


@register.filter
def rule_sentence(node):
    return display.node_sentence(node)


@register.filter
def source_label(source):
    return display.source_label(source)
