// SPDX-License-Identifier: GPL-3.0-or-later
// The occupant list of a room driven with synthetic occupants: grouping, batched updates, the filter, the
// moderation menu's rules and requests, and private messages.
#include "models/OccupantListModel.h"
#include "widgets/muc/OccupantListWidget.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <functional>
#include <memory>

using namespace Natter;
using Core::MucAffiliation;
using Core::MucRole;
using Core::Occupant;
using Core::OccupantChange;
using Ui::OccupantListModel;
using Ui::OccupantListWidget;
using Action = OccupantListWidget::Action;

namespace {

Occupant occupant(const QString &nick, MucRole role = MucRole::Participant,
                  MucAffiliation affiliation = MucAffiliation::None, const QString &jid = {})
{
    Occupant result;
    result.nick = nick;
    result.role = role;
    result.affiliation = affiliation;
    result.realJid = jid;
    result.occupantId = QStringLiteral("id-") + nick.toLower();
    return result;
}

OccupantChange joined(const Occupant &who)
{
    return {OccupantChange::Kind::Joined, who, {}};
}

OccupantChange left(const QString &nick)
{
    return {OccupantChange::Kind::Left, occupant(nick), {}};
}

OccupantChange renamed(const QString &previousNick, const Occupant &who)
{
    return {OccupantChange::Kind::Renamed, who, previousNick};
}

// The rows as text: "[Moderators 2]" for a header, the nick for an occupant.
QStringList rows(const QAbstractItemModel &model)
{
    QStringList result;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex index = model.index(row, 0);
        if (index.data(OccupantListModel::IsHeaderRole).toBool())
            result.append(QStringLiteral("[%1 %2]")
                              .arg(index.data(Qt::DisplayRole).toString())
                              .arg(index.data(OccupantListModel::CountRole).toInt()));
        else
            result.append(index.data(OccupantListModel::NickRole).toString());
    }
    return result;
}

// A small room: we are "me", a participant, unless a test says otherwise.
QList<Occupant> smallRoom()
{
    return {
        occupant(QStringLiteral("zoe"), MucRole::Participant),
        occupant(QStringLiteral("Bob"), MucRole::Moderator, MucAffiliation::Admin),
        occupant(QStringLiteral("me")),
        occupant(QStringLiteral("alice"), MucRole::Moderator, MucAffiliation::Owner),
        occupant(QStringLiteral("Carol"), MucRole::Participant, MucAffiliation::Member),
    };
}

// Runs act on the modal dialog with this object name once it shows; closes whatever else is modal after a
// few seconds, so a missing dialog fails the test instead of hanging it.
void whenModalShown(const QString &objectName, const std::function<void(QWidget *)> &act, int attempts = 300)
{
    QTimer::singleShot(10, qApp, [objectName, act, attempts] {
        QWidget *modal = QApplication::activeModalWidget();
        if (modal && modal->objectName() == objectName) {
            act(modal);
            return;
        }
        if (attempts > 0) {
            whenModalShown(objectName, act, attempts - 1);
            return;
        }
        if (modal)
            modal->close();
    });
}

} // namespace

class TestOccupants : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void groupsSortNicksCaseInsensitivelyAndCountThem();
    void roleChangeMovesRowToOtherGroup();
    void renameKeepsOccupantIdAndMovesToSortedPlace();
    void leftRemovesRowAndEmptiedGroupDisappears();
    void smallBatchUpdatesRowsWithoutReset();
    void batchesOfFiveHundredBuildTwoThousandRows();
    void ownNickIsMarkedAndFollowsRename();
    void nicksListsEveryOccupant();
    void filterShowsMatchesAndTheirHeaders();
    void filterFollowsChangesWhileActive();
    void participantMayOnlySendPrivateMessages();
    void nobodyActsOnThemselves();
    void moderatorManagesVoiceAndKicksBelowAdmins();
    void adminManagesMembershipAndBans();
    void ownerMakesAdminsAndOwners();
    void kickThroughMenuEmitsReasonFromConfirmation();
    void cancelledConfirmationEmitsNothing();
    void grantingAsksFirstToo();
    void defaultConfirmationDialogNamesPersonAndTakesReason();
    void doubleClickRequestsPrivateMessage();
    void delegateUsesOneRowHeight();
    void occupantsWithAKnownAddressShowItsAvatar();
};

void TestOccupants::groupsSortNicksCaseInsensitivelyAndCountThem()
{
    OccupantListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.reset(smallRoom(), QStringLiteral("me"));

    QCOMPARE(rows(model),
             (QStringList{QStringLiteral("[Moderators 2]"), QStringLiteral("alice"), QStringLiteral("Bob"),
                          QStringLiteral("[Participants 3]"), QStringLiteral("Carol"), QStringLiteral("me"),
                          QStringLiteral("zoe")}));
    QCOMPARE(model.occupantCount(), 5);
    QVERIFY(!model.occupantAt(model.index(0)));
    QCOMPARE(model.occupantAt(model.index(2))->affiliation, MucAffiliation::Admin);
    QCOMPARE(model.indexOfNick(QStringLiteral("Carol")).row(), 4);
    QVERIFY(!model.indexOfNick(QStringLiteral("nobody")).isValid());
}

void TestOccupants::roleChangeMovesRowToOtherGroup()
{
    OccupantListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.reset(smallRoom(), QStringLiteral("me"));
    const QPersistentModelIndex zoe = model.indexOfNick(QStringLiteral("zoe"));
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);

    model.applyChanges({joined(occupant(QStringLiteral("zoe"), MucRole::Moderator))});

    QCOMPARE(rows(model),
             (QStringList{QStringLiteral("[Moderators 3]"), QStringLiteral("alice"), QStringLiteral("Bob"),
                          QStringLiteral("zoe"), QStringLiteral("[Participants 2]"), QStringLiteral("Carol"),
                          QStringLiteral("me")}));
    QCOMPARE(resets.size(), 0);
    QCOMPARE(zoe.row(), 3); // moved, not removed and inserted again
    QCOMPARE(zoe.data(OccupantListModel::RoleRole).toInt(), int(MucRole::Moderator));

    model.applyChanges({joined(occupant(QStringLiteral("me"), MucRole::Visitor))});
    QCOMPARE(rows(model),
             (QStringList{QStringLiteral("[Moderators 3]"), QStringLiteral("alice"), QStringLiteral("Bob"),
                          QStringLiteral("zoe"), QStringLiteral("[Participants 1]"), QStringLiteral("Carol"),
                          QStringLiteral("[Visitors 1]"), QStringLiteral("me")}));
}

void TestOccupants::renameKeepsOccupantIdAndMovesToSortedPlace()
{
    OccupantListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.reset(smallRoom(), QStringLiteral("me"));
    const QPersistentModelIndex zoe = model.indexOfNick(QStringLiteral("zoe"));
    Occupant aaron = occupant(QStringLiteral("aaron"));
    aaron.occupantId = QStringLiteral("id-zoe");

    model.applyChanges({renamed(QStringLiteral("zoe"), aaron)});

    QCOMPARE(rows(model),
             (QStringList{QStringLiteral("[Moderators 2]"), QStringLiteral("alice"), QStringLiteral("Bob"),
                          QStringLiteral("[Participants 3]"), QStringLiteral("aaron"),
                          QStringLiteral("Carol"), QStringLiteral("me")}));
    const QModelIndex index = model.indexOfNick(QStringLiteral("aaron"));
    QCOMPARE(index.data(OccupantListModel::OccupantIdRole).toString(), QStringLiteral("id-zoe"));
    QCOMPARE(QModelIndex(zoe), index);
    QVERIFY(!model.indexOfNick(QStringLiteral("zoe")).isValid());
    QCOMPARE(model.occupantCount(), 5);
}

void TestOccupants::leftRemovesRowAndEmptiedGroupDisappears()
{
    OccupantListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.reset(smallRoom(), QStringLiteral("me"));

    model.applyChanges({left(QStringLiteral("Bob"))});
    QCOMPARE(rows(model), (QStringList{QStringLiteral("[Moderators 1]"), QStringLiteral("alice"),
                                       QStringLiteral("[Participants 3]"), QStringLiteral("Carol"),
                                       QStringLiteral("me"), QStringLiteral("zoe")}));

    model.applyChanges({left(QStringLiteral("alice"))});
    QCOMPARE(rows(model), (QStringList{QStringLiteral("[Participants 3]"), QStringLiteral("Carol"),
                                       QStringLiteral("me"), QStringLiteral("zoe")}));
    QCOMPARE(model.occupantCount(), 3);
    QVERIFY(!model.indexOfNick(QStringLiteral("alice")).isValid());
}

void TestOccupants::smallBatchUpdatesRowsWithoutReset()
{
    OccupantListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.reset(smallRoom(), QStringLiteral("me"));
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);

    model.applyChanges({joined(occupant(QStringLiteral("dave"))),
                        joined(occupant(QStringLiteral("eve"), MucRole::Visitor)),
                        left(QStringLiteral("zoe")),
                        renamed(QStringLiteral("Carol"), occupant(QStringLiteral("Caroline")))});

    QCOMPARE(resets.size(), 0);
    QCOMPARE(inserts.size(), 2);
    QCOMPARE(
        rows(model),
        (QStringList{QStringLiteral("[Moderators 2]"), QStringLiteral("alice"), QStringLiteral("Bob"),
                     QStringLiteral("[Participants 3]"), QStringLiteral("Caroline"), QStringLiteral("dave"),
                     QStringLiteral("me"), QStringLiteral("[Visitors 1]"), QStringLiteral("eve")}));
}

void TestOccupants::batchesOfFiveHundredBuildTwoThousandRows()
{
    OccupantListModel model;
    model.reset({}, QStringLiteral("me"));
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
    int moderators = 0;
    int visitors = 0;
    for (int batch = 0; batch < 4; ++batch) {
        QList<OccupantChange> changes;
        for (int i = batch * 500; i < (batch + 1) * 500; ++i) {
            MucRole role = MucRole::Participant;
            if (i % 100 == 0) {
                role = MucRole::Moderator;
                ++moderators;
            } else if (i % 10 == 0) {
                role = MucRole::Visitor;
                ++visitors;
            }
            // Mixed case and reverse order, so sorting has work to do.
            const QString nick = (i % 2 ? QStringLiteral("User%1") : QStringLiteral("user%1"))
                                     .arg(1999 - i, 4, 10, QLatin1Char('0'));
            changes.append(joined(occupant(nick, role)));
        }
        model.applyChanges(changes);
    }

    QCOMPARE(resets.size(), 4);
    QCOMPARE(inserts.size(), 0);
    QCOMPARE(model.occupantCount(), 2000);
    QCOMPARE(model.rowCount(), 2000 + 3);
    QCOMPARE(model.index(0).data(OccupantListModel::CountRole).toInt(), moderators);
    QCOMPARE(model.index(moderators + 1).data(OccupantListModel::CountRole).toInt(),
             2000 - moderators - visitors);
    QCOMPARE(model.index(2000 - visitors + 2).data(OccupantListModel::CountRole).toInt(), visitors);
    QCOMPARE(model.index(2000 - visitors + 2).data(Qt::DisplayRole).toString(), QStringLiteral("Visitors"));
    for (int row = 2; row <= moderators; ++row)
        QVERIFY(model.index(row - 1).data().toString().compare(model.index(row).data().toString(),
                                                               Qt::CaseInsensitive) < 0);

    // A large batch of departures and renames goes through the same path.
    QList<OccupantChange> changes;
    for (int i = 0; i < 200; ++i)
        changes.append(left(model.nicks().at(i)));
    changes.append(renamed(model.nicks().at(1500), occupant(QStringLiteral("aaa"), MucRole::Moderator)));
    model.applyChanges(changes);
    QCOMPARE(model.occupantCount(), 1800);
    QCOMPARE(model.index(1).data().toString(), QStringLiteral("aaa"));
}

void TestOccupants::ownNickIsMarkedAndFollowsRename()
{
    OccupantListModel model;
    model.reset(smallRoom(), QStringLiteral("me"));
    QVERIFY(model.indexOfNick(QStringLiteral("me")).data(OccupantListModel::IsSelfRole).toBool());
    QVERIFY(!model.indexOfNick(QStringLiteral("zoe")).data(OccupantListModel::IsSelfRole).toBool());

    model.applyChanges({renamed(QStringLiteral("me"), occupant(QStringLiteral("myself")))});
    QCOMPARE(model.ownNick(), QStringLiteral("myself"));
    QVERIFY(model.indexOfNick(QStringLiteral("myself")).data(OccupantListModel::IsSelfRole).toBool());
}

void TestOccupants::nicksListsEveryOccupant()
{
    OccupantListModel model;
    model.reset(smallRoom(), QStringLiteral("me"));
    QStringList nicks = model.nicks();
    nicks.sort();
    QCOMPARE(nicks, (QStringList{QStringLiteral("Bob"), QStringLiteral("Carol"), QStringLiteral("alice"),
                                 QStringLiteral("me"), QStringLiteral("zoe")}));
}

void TestOccupants::filterShowsMatchesAndTheirHeaders()
{
    OccupantListWidget widget;
    QList<Occupant> room = smallRoom();
    room.append(occupant(QStringLiteral("quiet"), MucRole::Visitor, MucAffiliation::None,
                         QStringLiteral("bobby@example.org")));
    widget.model()->reset(room, QStringLiteral("me"));
    auto *filter = widget.findChild<QLineEdit *>(QStringLiteral("occupantFilter"));
    auto *view = widget.findChild<QListView *>(QStringLiteral("occupantView"));
    QVERIFY(filter);
    QVERIFY(view);
    QVERIFY(view->uniformItemSizes());

    QTest::keyClicks(filter, QStringLiteral("BOB"));
    // "Bob" by nick, "quiet" by JID; participants have no match, so their header goes too.
    QCOMPARE(rows(*view->model()), (QStringList{QStringLiteral("[Moderators 2]"), QStringLiteral("Bob"),
                                                QStringLiteral("[Visitors 1]"), QStringLiteral("quiet")}));

    filter->clear();
    QCOMPARE(view->model()->rowCount(), 9);
}

void TestOccupants::filterFollowsChangesWhileActive()
{
    OccupantListWidget widget;
    widget.model()->reset(smallRoom(), QStringLiteral("me"));
    auto *view = widget.findChild<QListView *>(QStringLiteral("occupantView"));
    QTest::keyClicks(widget.findChild<QLineEdit *>(QStringLiteral("occupantFilter")), QStringLiteral("ca"));
    QCOMPARE(rows(*view->model()),
             (QStringList{QStringLiteral("[Participants 3]"), QStringLiteral("Carol")}));

    widget.model()->applyChanges({joined(occupant(QStringLiteral("Cathy"), MucRole::Moderator))});
    QCOMPARE(rows(*view->model()),
             (QStringList{QStringLiteral("[Moderators 3]"), QStringLiteral("Cathy"),
                          QStringLiteral("[Participants 3]"), QStringLiteral("Carol")}));

    widget.model()->applyChanges({left(QStringLiteral("Carol"))});
    QCOMPARE(rows(*view->model()), (QStringList{QStringLiteral("[Moderators 3]"), QStringLiteral("Cathy")}));
}

void TestOccupants::participantMayOnlySendPrivateMessages()
{
    OccupantListWidget widget;
    widget.model()->reset(smallRoom(), QStringLiteral("me"));
    widget.setOwnPrivileges(MucRole::Participant, MucAffiliation::Member);

    QCOMPARE(widget.actionsFor(QStringLiteral("zoe")), QList<Action>{Action::PrivateMessage});
    QCOMPARE(widget.actionsFor(QStringLiteral("Bob")), QList<Action>{Action::PrivateMessage});
    QCOMPARE(widget.actionsFor(QStringLiteral("nobody")), QList<Action>{});
}

void TestOccupants::nobodyActsOnThemselves()
{
    OccupantListWidget widget;
    widget.model()->reset(smallRoom(), QStringLiteral("alice"));
    widget.setOwnPrivileges(MucRole::Moderator, MucAffiliation::Owner);

    QCOMPARE(widget.actionsFor(QStringLiteral("alice")), QList<Action>{});
    QVERIFY(!widget.createContextMenu(QStringLiteral("alice")));
}

void TestOccupants::moderatorManagesVoiceAndKicksBelowAdmins()
{
    OccupantListWidget widget;
    widget.model()->reset({occupant(QStringLiteral("me"), MucRole::Moderator),
                           occupant(QStringLiteral("talker"), MucRole::Participant, MucAffiliation::None,
                                    QStringLiteral("talker@example.org")),
                           occupant(QStringLiteral("silent"), MucRole::Visitor),
                           occupant(QStringLiteral("mod"), MucRole::Moderator, MucAffiliation::Member),
                           occupant(QStringLiteral("boss"), MucRole::Moderator, MucAffiliation::Admin)},
                          QStringLiteral("me"));
    widget.setOwnPrivileges(MucRole::Moderator, MucAffiliation::None);

    // No membership or bans: those need an admin, even with the JID known.
    QCOMPARE(widget.actionsFor(QStringLiteral("talker")),
             (QList<Action>{Action::PrivateMessage, Action::Kick, Action::RevokeVoice}));
    QCOMPARE(widget.actionsFor(QStringLiteral("silent")),
             (QList<Action>{Action::PrivateMessage, Action::Kick, Action::GrantVoice}));
    QCOMPARE(widget.actionsFor(QStringLiteral("mod")), QList<Action>{Action::PrivateMessage});
    QCOMPARE(widget.actionsFor(QStringLiteral("boss")), QList<Action>{Action::PrivateMessage});
}

void TestOccupants::adminManagesMembershipAndBans()
{
    OccupantListWidget widget;
    widget.model()->reset({occupant(QStringLiteral("me"), MucRole::Moderator, MucAffiliation::Admin),
                           occupant(QStringLiteral("guest"), MucRole::Participant, MucAffiliation::None,
                                    QStringLiteral("guest@example.org")),
                           occupant(QStringLiteral("member"), MucRole::Participant, MucAffiliation::Member,
                                    QStringLiteral("member@example.org")),
                           occupant(QStringLiteral("anonymous"), MucRole::Participant),
                           occupant(QStringLiteral("other-admin"), MucRole::Moderator, MucAffiliation::Admin,
                                    QStringLiteral("admin@example.org")),
                           occupant(QStringLiteral("owner"), MucRole::Moderator, MucAffiliation::Owner,
                                    QStringLiteral("owner@example.org"))},
                          QStringLiteral("me"));
    widget.setOwnPrivileges(MucRole::Moderator, MucAffiliation::Admin);

    QCOMPARE(widget.actionsFor(QStringLiteral("guest")),
             (QList<Action>{Action::PrivateMessage, Action::Kick, Action::RevokeVoice,
                            Action::GrantMembership, Action::Ban}));
    QCOMPARE(widget.actionsFor(QStringLiteral("member")),
             (QList<Action>{Action::PrivateMessage, Action::Kick, Action::RevokeVoice,
                            Action::RevokeMembership, Action::Ban}));
    // Affiliations go by real JID: without one there is nothing to grant or ban.
    QCOMPARE(widget.actionsFor(QStringLiteral("anonymous")),
             (QList<Action>{Action::PrivateMessage, Action::Kick, Action::RevokeVoice}));
    QCOMPARE(widget.actionsFor(QStringLiteral("other-admin")), QList<Action>{Action::PrivateMessage});
    QCOMPARE(widget.actionsFor(QStringLiteral("owner")), QList<Action>{Action::PrivateMessage});
}

void TestOccupants::ownerMakesAdminsAndOwners()
{
    OccupantListWidget widget;
    widget.model()->reset({occupant(QStringLiteral("me"), MucRole::Moderator, MucAffiliation::Owner),
                           occupant(QStringLiteral("guest"), MucRole::Visitor, MucAffiliation::None,
                                    QStringLiteral("guest@example.org")),
                           occupant(QStringLiteral("admin"), MucRole::Moderator, MucAffiliation::Admin,
                                    QStringLiteral("admin@example.org"))},
                          QStringLiteral("me"));
    widget.setOwnPrivileges(MucRole::Moderator, MucAffiliation::Owner);

    QCOMPARE(widget.actionsFor(QStringLiteral("guest")),
             (QList<Action>{Action::PrivateMessage, Action::Kick, Action::GrantVoice, Action::GrantMembership,
                            Action::GrantAdmin, Action::GrantOwner, Action::Ban}));
    QCOMPARE(widget.actionsFor(QStringLiteral("admin")),
             (QList<Action>{Action::PrivateMessage, Action::GrantOwner, Action::Ban}));
    QCOMPARE(widget.actionsFor(QStringLiteral("me")), QList<Action>{});
}

void TestOccupants::kickThroughMenuEmitsReasonFromConfirmation()
{
    OccupantListWidget widget;
    widget.model()->reset(smallRoom(), QStringLiteral("me"));
    widget.setOwnPrivileges(MucRole::Moderator, MucAffiliation::None);
    QList<std::pair<QString, Action>> asked;
    widget.setConfirmationHandler([&asked](const QString &nick, Action action) -> std::optional<QString> {
        asked.append({nick, action});
        return QStringLiteral("spam");
    });
    QSignalSpy requests(&widget, &OccupantListWidget::moderationRequested);

    std::unique_ptr<QMenu> menu(widget.createContextMenu(QStringLiteral("zoe")));
    QVERIFY(menu);
    QAction *kick = nullptr;
    for (QAction *action : menu->actions())
        if (!action->isSeparator() && action->data().value<Action>() == Action::Kick)
            kick = action;
    QVERIFY(kick);
    kick->trigger();

    QCOMPARE(asked, (QList<std::pair<QString, Action>>{{QStringLiteral("zoe"), Action::Kick}}));
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.at(0).at(0).toString(), QStringLiteral("zoe"));
    QCOMPARE(requests.at(0).at(1).value<Action>(), Action::Kick);
    QCOMPARE(requests.at(0).at(2).toString(), QStringLiteral("spam"));
}

void TestOccupants::cancelledConfirmationEmitsNothing()
{
    OccupantListWidget widget;
    widget.model()->reset(smallRoom(), QStringLiteral("me"));
    widget.setOwnPrivileges(MucRole::Moderator, MucAffiliation::None);
    int asked = 0;
    widget.setConfirmationHandler([&asked](const QString &, Action) -> std::optional<QString> {
        ++asked;
        return std::nullopt;
    });
    QSignalSpy requests(&widget, &OccupantListWidget::moderationRequested);

    widget.requestAction(QStringLiteral("zoe"), Action::Kick);
    widget.requestAction(QStringLiteral("zoe"), Action::RevokeVoice);

    QCOMPARE(asked, 2);
    QCOMPARE(requests.size(), 0);
}

void TestOccupants::grantingAsksFirstToo()
{
    OccupantListWidget widget;
    widget.model()->reset(smallRoom(), QStringLiteral("me"));
    widget.setOwnPrivileges(MucRole::Moderator, MucAffiliation::None);
    widget.model()->applyChanges({joined(occupant(QStringLiteral("zoe"), MucRole::Visitor))});
    int asked = 0;
    widget.setConfirmationHandler([&asked](const QString &, Action) -> std::optional<QString> {
        ++asked;
        return QString();
    });
    QSignalSpy requests(&widget, &OccupantListWidget::moderationRequested);

    widget.requestAction(QStringLiteral("zoe"), Action::GrantVoice);
    // Not offered, so not requested: a participant with voice, or an admin out of reach.
    widget.requestAction(QStringLiteral("Carol"), Action::GrantVoice);
    widget.requestAction(QStringLiteral("Bob"), Action::Kick);

    QCOMPARE(asked, 1);
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.at(0).at(1).value<Action>(), Action::GrantVoice);
    QCOMPARE(requests.at(0).at(2).toString(), QString());

    // Cancelled: nothing is asked of the room.
    widget.setConfirmationHandler(
        [](const QString &, Action) -> std::optional<QString> { return std::nullopt; });
    widget.requestAction(QStringLiteral("zoe"), Action::GrantVoice);
    QCOMPARE(requests.size(), 1);
}

void TestOccupants::defaultConfirmationDialogNamesPersonAndTakesReason()
{
    OccupantListWidget widget;
    widget.model()->reset(smallRoom(), QStringLiteral("me"));
    widget.setOwnPrivileges(MucRole::Moderator, MucAffiliation::None);
    QSignalSpy requests(&widget, &OccupantListWidget::moderationRequested);
    QString shownText;
    bool reasonTyped = false;

    whenModalShown(QStringLiteral("confirmModeration"), [&](QWidget *modal) {
        auto *box = qobject_cast<QMessageBox *>(modal);
        QVERIFY(box);
        shownText = box->text();
        whenModalShown(QStringLiteral("moderationReasonDialog"), [&](QWidget *dialog) {
            auto *field = dialog->findChild<QLineEdit *>(QStringLiteral("moderationReason"));
            QVERIFY(field);
            QTest::keyClicks(field, QStringLiteral("flooding"));
            reasonTyped = true;
            QTest::keyClick(field, Qt::Key_Return);
        });
        box->findChild<QPushButton *>(QStringLiteral("moderationWithReasonButton"))->click();
    });
    widget.requestAction(QStringLiteral("zoe"), Action::Kick);

    QVERIFY(shownText.contains(QStringLiteral("zoe")));
    QVERIFY(shownText.contains(QStringLiteral("Kick")));
    QVERIFY(reasonTyped);
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.at(0).at(2).toString(), QStringLiteral("flooding"));

    // Cancel in the message box: nothing is requested.
    whenModalShown(QStringLiteral("confirmModeration"), [](QWidget *modal) {
        qobject_cast<QMessageBox *>(modal)->button(QMessageBox::Cancel)->click();
    });
    widget.requestAction(QStringLiteral("zoe"), Action::Kick);
    QCOMPARE(requests.size(), 1);
}

void TestOccupants::doubleClickRequestsPrivateMessage()
{
    OccupantListWidget widget;
    widget.resize(300, 500);
    widget.model()->reset(smallRoom(), QStringLiteral("me"));
    widget.show();
    QVERIFY(QTest::qWaitForWindowExposed(&widget));
    auto *view = widget.findChild<QListView *>(QStringLiteral("occupantView"));
    QSignalSpy requests(&widget, &OccupantListWidget::privateMessageRequested);
    const auto doubleClickRow = [view](int row) {
        const QPoint centre = view->visualRect(view->model()->index(row, 0)).center();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, centre);
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, centre);
    };

    doubleClickRow(0); // the moderators' header
    doubleClickRow(5); // ourselves
    QCOMPARE(requests.size(), 0);

    doubleClickRow(6);
    QCOMPARE(requests.size(), 1);
    QCOMPARE(requests.at(0).at(0).toString(), QStringLiteral("zoe"));
}

void TestOccupants::delegateUsesOneRowHeight()
{
    OccupantListWidget widget;
    widget.model()->reset(smallRoom(), QStringLiteral("me"));
    auto *view = widget.findChild<QListView *>(QStringLiteral("occupantView"));
    QStyleOptionViewItem option;
    option.initFrom(view);
    QAbstractItemDelegate *delegate = view->itemDelegate();
    const QSize header = delegate->sizeHint(option, view->model()->index(0, 0));
    const QSize occupantRow = delegate->sizeHint(option, view->model()->index(1, 0));
    QCOMPARE(header.height(), occupantRow.height());
    QVERIFY(occupantRow.height() > QFontMetrics(option.font).height());
}

void TestOccupants::occupantsWithAKnownAddressShowItsAvatar()
{
    OccupantListModel model;
    model.reset({occupant(QStringLiteral("ann"), MucRole::Participant, MucAffiliation::None,
                          QStringLiteral("ann@example.org/laptop")),
                 occupant(QStringLiteral("anonymous"))},
                QStringLiteral("me"));
    QHash<QString, QString> files{{QStringLiteral("ann@example.org"), QStringLiteral("/cache/ann.png")}};
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.setAvatarLookup([&files](const QString &jid) { return files.value(jid); });
    const QModelIndex ann = model.indexOfNick(QStringLiteral("ann"));
    // Looked up by the bare address; nothing for someone whose address the room hides.
    QCOMPARE(ann.data(OccupantListModel::AvatarRole).toString(), QStringLiteral("/cache/ann.png"));
    QCOMPARE(model.indexOfNick(QStringLiteral("anonymous")).data(OccupantListModel::AvatarRole).toString(),
             QString());

    // A new avatar for that address repaints exactly that row.
    changed.clear();
    files[QStringLiteral("ann@example.org")] = QStringLiteral("/cache/ann2.png");
    model.refreshAvatar(QStringLiteral("bob@example.org"));
    QCOMPARE(changed.size(), 0);
    model.refreshAvatar(QStringLiteral("ann@example.org"));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex(), ann);
    QCOMPARE(ann.data(OccupantListModel::AvatarRole).toString(), QStringLiteral("/cache/ann2.png"));
}

QTEST_MAIN(TestOccupants)
#include "tst_ui_occupants.moc"
