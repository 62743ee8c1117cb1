"""Intent and slot names, the one place they are spelled.

A test proves these match interaction_models/en-US.json and that each has its event in
handlers.INTENT_EVENTS.
"""

# Custom intents
NAME = "NameIntent"  # slot NAME_SLOT (AMAZON.FirstName)
DONE = "DoneIntent"  # "I'm done", "next", "your turn", "that's all", "ready"
MORE_TIME = "MoreTimeIntent"
SKIP = "SkipIntent"
SET_TURN_LENGTH = "SetTurnLengthIntent"  # slots MINUTES_SLOT (AMAZON.NUMBER), CHANGE_SLOT
HISTORY = "HistoryIntent"  # "how are we doing"
WHEN = "WhenIntent"  # answers "when would be better?": slots WHEN_TIME_SLOT, WHEN_DATE_SLOT
SAFETY = "SafetyIntent"  # "I don't feel safe", "I need support"
NEED_HELP = "NeedHelpIntent"  # "I need help": with the check-in, or support? It asks first
DELETE_HISTORY = "DeleteHistoryIntent"  # "delete our history", confirmed before it happens
START_WALK = "StartWalkIntent"  # "start a walk check-in"
REMIND = "RemindIntent"  # "remind us every night at nine": slot WHEN_TIME_SLOT
STOP_REMINDERS = "StopRemindersIntent"  # "stop reminding us"
CHANGE_NAMES = "ChangeNamesIntent"  # "change our names", after the opening
AWARENESS = "AwarenessIntent"  # "how connected are we": the check of the five signs
A_LITTLE = "ALittleIntent"  # "a little": the middle answer to a line of that check

# Built-in intents
YES = "AMAZON.YesIntent"
NO = "AMAZON.NoIntent"
HELP = "AMAZON.HelpIntent"
STOP = "AMAZON.StopIntent"
CANCEL = "AMAZON.CancelIntent"
FALLBACK = "AMAZON.FallbackIntent"
NAVIGATE_HOME = "AMAZON.NavigateHomeIntent"
REPEAT = "AMAZON.RepeatIntent"
PAUSE = "AMAZON.PauseIntent"
RESUME = "AMAZON.ResumeIntent"
START_OVER = "AMAZON.StartOverIntent"

# Slots
NAME_SLOT = "name"
MINUTES_SLOT = "minutes"
CHANGE_SLOT = "change"  # TURN_LENGTH_CHANGE: "shorter" or "longer"
WHEN_TIME_SLOT = "time"
WHEN_DATE_SLOT = "date"

CUSTOM_INTENTS = (NAME, DONE, MORE_TIME, SKIP, SET_TURN_LENGTH, HISTORY, WHEN, SAFETY, NEED_HELP,
                  DELETE_HISTORY, START_WALK, REMIND, STOP_REMINDERS, CHANGE_NAMES, AWARENESS,
                  A_LITTLE)
BUILT_IN_INTENTS = (
    YES, NO, HELP, STOP, CANCEL, FALLBACK, NAVIGATE_HOME, REPEAT, PAUSE, RESUME, START_OVER,
)
ALL_INTENTS = CUSTOM_INTENTS + BUILT_IN_INTENTS
