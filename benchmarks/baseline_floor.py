"""Baseline (a), the floor: the least a DynamoDB-backed ask-sdk-core skill can build at import.

A hello-world skill (launch, help, stop, session end, errors) plus one botocore DynamoDB client
created at import, with nothing from boto3. The skill under test is compared with this, both for
cold init (importing this module) and for warm work per request (its LaunchRequest). The
LaunchRequest handler does no I/O, so its time is pure ask-sdk dispatch and serialisation.
"""
from __future__ import annotations

import os

import botocore.session
from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_core.utils import is_intent_name, is_request_type
from botocore.config import Config

TABLE_NAME = os.environ.get("TABLE_NAME", "connection-check-in")

dynamodb = botocore.session.get_session().create_client(
    "dynamodb",
    config=Config(connect_timeout=1, read_timeout=2,
                  retries={"mode": "standard", "total_max_attempts": 3}),
)


class LaunchHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        speech = "Hello! Say hello to hear it again."
        return handler_input.response_builder.speak(speech).ask(speech).response


class HelpHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input):
        speech = "I just say hello. Would you like me to say it?"
        return handler_input.response_builder.speak(speech).ask(speech).response


class StopHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return (is_intent_name("AMAZON.StopIntent")(handler_input)
                or is_intent_name("AMAZON.CancelIntent")(handler_input))

    def handle(self, handler_input):
        return handler_input.response_builder.speak("Goodbye!").response


class SessionEndedHandler(AbstractRequestHandler):
    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        return handler_input.response_builder.response


class CatchAllHandler(AbstractExceptionHandler):
    def can_handle(self, handler_input, exception):
        return True

    def handle(self, handler_input, exception):
        speech = "Sorry, I had trouble doing what you asked."
        return handler_input.response_builder.speak(speech).ask(speech).response


sb = CustomSkillBuilder()
for handler in (LaunchHandler(), HelpHandler(), StopHandler(), SessionEndedHandler()):
    sb.add_request_handler(handler)
sb.add_exception_handler(CatchAllHandler())

lambda_handler = sb.lambda_handler()
