#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Fills a demo profile's message store with a long, scripted conversation (and a few short ones) for
# tools/screenshots: the same text every time, spread over the last days so day lines and groups show.
#   demo_history.py PROFILE_DIR ACCOUNT_JID
# The account must exist (natter-cli account add). Rows go in through plain SQL, and into the full-text
# index unless a trigger of the schema does that.
import random
import sqlite3
import sys
import time

TOPICS = [
    ("Did you see the rain this morning?", "Yes, I got soaked on the way to the station."),
    ("Are we still on for Thursday?", "Of course. Seven o'clock at the usual place?"),
    ("I tried the new bakery on Mill Street.", "The one with the blue door? Their rye bread is great."),
    ("Can you send me the photos from the hike?", "Uploading them now, there are about forty."),
    ("My sister says hello!", "Say hello back from me."),
    ("I finally finished the book you lent me.", "And? Did you like the ending?"),
    ("The ending surprised me, honestly.", "Me too, I had to read the last chapter twice."),
    ("Shall we make pumpkin soup on Thursday?", "Pumpkin soup sounds perfect, I'll bring bread."),
    ("Do you have a big pot? Mine is too small.", "I have one, I'll bring it along."),
    ("How was the concert?", "Loud and wonderful. My ears are still ringing."),
    ("I'm running ten minutes late, sorry.", "No problem, I'll grab us a table."),
    ("Found a recipe with roasted pumpkin seeds on top.", "Let's try it, that sounds nice."),
    ("The train is delayed again.", "Typical. I'll wait at the café next door."),
    ("Are you coming to Anna's birthday on Saturday?", "Yes! Do we bring something together?"),
    ("Maybe a plant? She loves green things.", "Good idea, I know a shop that has nice ones."),
    ("Which film do you want to see?", "The documentary about the lighthouse keepers."),
    ("My bike has a flat tyre again.", "I can lend you mine until the weekend."),
    ("Did the package arrive?", "Yes, this morning. Thank you so much!"),
    ("What time does the market open on Sunday?", "Nine, but the good stalls sell out by ten."),
    ("I'm thinking of learning the guitar.", "Do it! I still have my old one somewhere."),
    ("The neighbours' cat is sitting on my balcony again.", "Send a picture, please."),
    ("Could you water my plants while I'm away?", "Sure, just leave the key under the mat."),
    ("Have you heard from Jonas lately?", "He moved to Lisbon, he seems very happy."),
    ("I burnt the rice. Again.", "Order pizza and call it a feature."),
    ("Do you still need the ladder?", "No, I'm done. I'll bring it back tomorrow."),
]
FOLLOW_UPS = ["Great!", "Sounds good.", "Ha, true.", "Thanks!", "See you then.", "👍", "Sure.",
              "Let me check and get back to you.", "Perfect.", "Oh nice."]
SHORT_CONVERSATIONS = {
    "carol@natter.test": ["Are you free for lunch tomorrow?", "The meeting moved to 3 pm."],
    "dave@natter.test": ["I pushed the fix, can you have a look?"],
    "erin@natter.test": ["Welcome to the climbing group!", "We meet on Tuesdays at the gym."],
}


def intern(db, jid):
    db.execute("INSERT INTO jids (jid) VALUES (?) ON CONFLICT (jid) DO NOTHING", (jid,))
    return db.execute("SELECT id FROM jids WHERE jid = ?", (jid,)).fetchone()[0]


def conversation(db, account_id, peer):
    peer_id = intern(db, peer)
    db.execute("INSERT INTO conversations (account_id, peer_id, kind) VALUES (?, ?, 0) "
               "ON CONFLICT (account_id, peer_id, kind) DO NOTHING", (account_id, peer_id))
    return db.execute("SELECT id FROM conversations WHERE account_id = ? AND peer_id = ? AND kind = 0",
                      (account_id, peer_id)).fetchone()[0]


def add(db, account, account_id, conversation_id, peer, n, outgoing, at_ms, body):
    sender = f"{account}/desktop" if outgoing else f"{peer}/phone"
    ident = f"demo-{conversation_id}-{n}"
    db.execute("INSERT INTO messages (account_id, conversation_id, direction, sender, time, sent_at, "
               "received_at, body, origin_id, message_id, delivery) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2)",
               (account_id, conversation_id, 1 if outgoing else 0, sender, at_ms, at_ms, at_ms, body, ident, ident))
    db.execute("UPDATE conversations SET last_activity = MAX(last_activity, ?), "
               "unread_count = CASE WHEN ? THEN 0 ELSE unread_count + 1 END WHERE id = ?",
               (at_ms, outgoing, conversation_id))


def main():
    profile, account = sys.argv[1], sys.argv[2]
    rng = random.Random(7)  # the same conversation every time
    db = sqlite3.connect(f"{profile}/natter.sqlite")
    account_id = db.execute("SELECT id FROM accounts WHERE jid = ?", (account,)).fetchone()[0]
    now_ms = int(time.time() * 1000)
    first_row = db.execute("SELECT COALESCE(MAX(id), 0) FROM messages").fetchone()[0]
    minute = 60 * 1000

    bob = "bob@natter.test"
    bob_id = conversation(db, account_id, bob)
    n = 0
    topics = rng.sample(TOPICS, len(TOPICS))  # each topic once, in a fixed shuffled order
    for day in range(4):
        at = now_ms - (4 - day) * 24 * 60 * minute + rng.randint(0, 90) * minute
        for question, answer in topics[day * 6:(day + 1) * 6]:
            outgoing = rng.random() < 0.5
            for line, side in ((question, outgoing), (answer, not outgoing)):
                n += 1
                at += rng.randint(1, 3) * minute
                add(db, account, account_id, bob_id, bob, n, side, at, line)
                if rng.random() < 0.4:
                    n += 1
                    at += rng.randint(0, 1) * minute + 20 * 1000
                    add(db, account, account_id, bob_id, bob, n, side, at, rng.choice(FOLLOW_UPS))
            at += rng.randint(20, 120) * minute
    # The last words of the long conversation: today, a few minutes ago.
    for offset, (line, outgoing) in enumerate([("Soup tonight then? I bought two pumpkins.", False),
                                                ("Yes! I'll be there at seven.", True)]):
        n += 1
        add(db, account, account_id, bob_id, bob, n, outgoing, now_ms - (12 - offset * 3) * minute, line)

    for index, (peer, lines) in enumerate(SHORT_CONVERSATIONS.items()):
        peer_conversation = conversation(db, account_id, peer)
        start = now_ms - (index + 1) * 7 * 60 * minute
        for k, line in enumerate(lines):
            add(db, account, account_id, peer_conversation, peer, k + 1, False, start + k * 4 * minute, line)
    has_trigger = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = "
                             "'messages_fts_insert'").fetchone()
    if not has_trigger:
        db.execute("INSERT INTO messages_fts (rowid, body) SELECT id, body FROM messages WHERE id > ?",
                   (first_row,))
    db.commit()
    print(f"{n} messages with {bob}, {sum(len(v) for v in SHORT_CONVERSATIONS.values())} with others")


if __name__ == "__main__":
    main()
